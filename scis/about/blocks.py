"""StreamField blocks for the about pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class TimelineEventBlock(blocks.StructBlock):
    year = blocks.IntegerBlock(label=_("year"), min_value=1900, max_value=2100)
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"), required=False)

    class Meta:
        icon = "date"
        label = _("Timeline event")


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    events = blocks.ListBlock(TimelineEventBlock(), label=_("events"))

    class Meta:
        icon = "history"
        label = _("Timeline")
        template = "blocks/timeline_block.html"


class DownloadBlock(blocks.StructBlock):
    """A document readers can download, shown with its format and size."""

    title = blocks.CharBlock(label=_("title"))
    description = blocks.TextBlock(label=_("description"), required=False)
    page = blocks.PageChooserBlock(
        label=_("document record"), page_type="library.DocumentPage", required=False
    )
    document = DocumentChooserBlock(label=_("file"), required=False)

    class Meta:
        icon = "download"
        label = _("Download")
        template = "blocks/download_block.html"


class AboutStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), icon="title", template="blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    timeline = TimelineBlock()
    download = DownloadBlock()
