"""The training catalogue as Wagtail pages: catalogue → provider section → course → (module →) lesson.

Each provider owns one ``ProviderCatalogue`` subtree; page permissions on it (granted to the
provider's group by ``services.authoring``) keep providers to their own courses, and publishing a
course goes through the health bureau's review workflow.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import LessonBodyBlock
from ..choices import Occupation, SkillLevel, TrainingKind

HOURS = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}


class TrainingCatalogue(Page):
    """The root of all courses (one per site)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["learning.ProviderCatalogue"]
    max_count = 1

    class Meta:
        verbose_name = _("training catalogue")


class ProviderCatalogue(Page):
    """One training provider's courses; the provider's staff may edit only below this page."""

    provider = models.OneToOneField(
        "registry.TrainingProvider", verbose_name=_("training provider"), on_delete=models.PROTECT, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("provider")]
    parent_page_types = ["learning.TrainingCatalogue"]
    subpage_types = ["learning.CoursePage"]

    class Meta:
        verbose_name = _("provider's courses")


class CoursePage(Page):
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    target_level = models.PositiveSmallIntegerField(
        _("target level"), choices=SkillLevel.choices, null=True, blank=True
    )
    required_hours = models.DecimalField(_("required hours (学时)"), **HOURS)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the course is offered; empty for everywhere."),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = RichTextField(_("description"), blank=True)
    enrollment_opens = models.DateField(_("enrollment opens"), null=True, blank=True)
    enrollment_closes = models.DateField(_("enrollment closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty for no limit."))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    prerequisite_course = models.ForeignKey(
        "learning.CoursePage",
        verbose_name=_("prerequisite course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Learners must have completed this course first."),
    )
    prerequisite_occupation = models.CharField(
        _("prerequisite certificate: occupation"), max_length=20, choices=Occupation.choices, blank=True
    )
    prerequisite_level = models.PositiveSmallIntegerField(
        _("prerequisite certificate: level"),
        choices=SkillLevel.choices,
        null=True,
        blank=True,
        help_text=_("Learners must hold a valid certificate of this occupation at this level or higher."),
    )
    # completion rules
    video_ratio = models.DecimalField(
        _("share of each video to watch"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1"))],
    )
    text_dwell_seconds = models.PositiveIntegerField(_("minimum reading time of a text lesson (seconds)"), default=120)
    classroom_hours_required = models.DecimalField(_("classroom hours required"), default=Decimal("0"), **HOURS)
    # not "template": that would hide Page.template, the name of the template Wagtail renders
    course_template = models.ForeignKey(
        "learning.CourseTemplate",
        verbose_name=_("course template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("occupation"), FieldPanel("target_level")]),
                FieldRowPanel([FieldPanel("required_hours"), FieldPanel("region"), FieldPanel("course_template")]),
            ],
            heading=_("What the course is"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("enrollment_opens"), FieldPanel("enrollment_closes")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("fee")]),
                FieldPanel("prerequisite_course"),
                FieldRowPanel([FieldPanel("prerequisite_occupation"), FieldPanel("prerequisite_level")]),
            ],
            heading=_("Enrollment"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("video_ratio"), FieldPanel("text_dwell_seconds")]),
                FieldPanel("classroom_hours_required"),
            ],
            heading=_("Completion rules"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("occupation"),
        index.FilterField("target_level"),
        index.FilterField("region_id"),
    ]
    parent_page_types = ["learning.ProviderCatalogue"]
    subpage_types = ["learning.CourseModulePage", "learning.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if self.enrollment_opens and self.enrollment_closes and self.enrollment_closes < self.enrollment_opens:
            raise ValidationError({"enrollment_closes": _("Enrollment closes before it opens.")})
        if bool(self.prerequisite_occupation) != (self.prerequisite_level is not None):
            raise ValidationError({"prerequisite_level": _("Give both the occupation and the level, or neither.")})


class CourseModulePage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    min_hours = models.DecimalField(_("minimum hours"), default=Decimal("0"), **HOURS)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("min_hours")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types = ["learning.LessonPage"]

    class Meta:
        verbose_name = _("course module")


class LessonPage(Page):
    hours = models.DecimalField(_("hours credited (学时)"), default=Decimal("0.5"), **HOURS)
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("hours"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["learning.CoursePage", "learning.CourseModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def videos(self) -> list:
        """The lesson's videos (wagtailmedia ``Media``), in order."""
        return [block.value["video"] for block in self.body if block.block_type == "video" and block.value["video"]]

    @property
    def gates(self) -> list:
        return [block for block in self.body if block.block_type == "gate"]


class CourseTemplate(ClusterableModel):
    """A national outline a provider starts a course from: its modules and minimum hours (data, not code)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    target_level = models.PositiveSmallIntegerField(
        _("target level"), choices=SkillLevel.choices, null=True, blank=True
    )
    min_hours = models.DecimalField(_("minimum hours"), **HOURS)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. WS/T 821-2023"))

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("occupation"), FieldPanel("target_level")]),
        FieldRowPanel([FieldPanel("min_hours"), FieldPanel("source")]),
        InlinePanel("modules", label=_("Modules"), min_num=1),
    ]

    class Meta:
        verbose_name = _("course template")
        verbose_name_plural = _("course templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseTemplateModule(Orderable):
    template = ParentalKey(CourseTemplate, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=120)
    min_hours = models.DecimalField(_("minimum hours"), **HOURS)

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("min_hours")])]

    class Meta(Orderable.Meta):
        verbose_name = _("template module")
