"""Wagtail front-end hooks of the learner side.

``CoursePage`` has a model field named ``template`` (its course template), which hides Wagtail's
``Page.template`` (the template name used by ``Page.serve``): served as is, a course page would
render with no template. Until the field is renamed, course pages are served here with the
template Wagtail would have picked.
"""

from django.template.response import TemplateResponse
from wagtail import hooks

from ..models import CoursePage

COURSE_TEMPLATE = "learning/course_page.html"


@hooks.register("before_serve_page")
def serve_course_page(page, request, serve_args, serve_kwargs):
    if not isinstance(page, CoursePage):
        return None
    request.is_preview = getattr(request, "is_preview", False)
    return TemplateResponse(request, COURSE_TEMPLATE, page.get_context(request, *serve_args, **serve_kwargs))
