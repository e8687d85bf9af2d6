"""StreamField blocks of a lesson body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2)
    explanation = blocks.TextBlock(label=_("Explanation shown after answering"), required=False)

    class Meta:
        icon = "help"


class PracticeQuizBlock(blocks.StructBlock):
    """Questions to practise with: answers are checked by the server and explained, nothing is recorded."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "form"
        label = _("Practice quiz")


class GateBlock(blocks.StructBlock):
    """ "Check your understanding": the lesson is credited only once these questions are passed."""

    title = blocks.CharBlock(label=_("Title"), required=False, default="")
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)
    pass_ratio = blocks.DecimalBlock(
        label=_("Share of questions to answer correctly"), min_value=0, max_value=1, decimal_places=2, default=1
    )

    class Meta:
        icon = "lock"
        label = _("Check your understanding")


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    video = VideoBlock()
    document = DocumentChooserBlock(label=_("Document"), icon="doc-full")
    image = ImageBlock()
    practice_quiz = PracticeQuizBlock()
    gate = GateBlock()
