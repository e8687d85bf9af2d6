"""The site's URLs plus the statistics settings screens, for tests run before ``reports.wagtail_hooks`` registers
them (``test_admin_config`` switches to this URLconf only while the screens are missing from the site's)."""

from django.urls import include, path

from cms.urls import urlpatterns as site_urlpatterns
from reports.views.admin_config import register_config_menu

urlpatterns = [
    path(
        f"admin/{viewset.url_prefix}/",
        include((viewset.get_urlpatterns(), viewset.url_namespace), namespace=viewset.url_namespace),
    )
    for viewset in register_config_menu().registerables
] + site_urlpatterns
