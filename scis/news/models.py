"""News: ministry press releases and local government news, in four sections."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BaseIndexPage, RecordPage


class Section(models.TextChoices):
    ISSUE = "issue", _("Smart City Issue")
    POLICY_PROJECT = "policy-project", _("Policy Project")
    POLICY_TREND = "policy-trend", _("Policy Trend")
    SPECIAL = "special", _("Special")


class NewsIndexPage(BaseIndexPage):
    """Lists news: one per section, or with no section the whole news area
    above the four section pages."""

    section = models.CharField(
        _("section"),
        max_length=20,
        choices=Section.choices,
        blank=True,
        help_text=_("Leave empty for the page that gathers every section."),
    )

    content_panels = BaseIndexPage.content_panels + [FieldPanel("section")]
    override_translatable_fields = [SynchronizedField("section")]
    parent_page_types = ["home.HomePage", "news.NewsIndexPage"]
    subpage_types = ["news.NewsIndexPage", "news.NewsPage"]
    template = "news/news_index_page.html"

    class Meta:
        verbose_name = _("news index page")

    def listed_models(self):
        return [NewsPage]

    def listed_section(self) -> str:
        return self.section

    def section_pages(self):
        # get_children() filters on a path range, which SQLite can index;
        # child_of() uses LIKE, which it cannot.
        return self.get_children().live().public().type(NewsIndexPage).specific()


class NewsPage(RecordPage):
    section = models.CharField(
        _("section"),
        max_length=20,
        choices=Section.choices,
        blank=True,
        db_index=True,
        help_text=_("Filled in from the section page the item is filed under."),
    )
    body = RichTextField(_("body"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    video_url = models.URLField(_("video URL"), blank=True)
    projects = ParentalManyToManyField(
        "projects.ProjectPage",
        blank=True,
        related_name="news_items",
        verbose_name=_("projects this item is about"),
    )

    record_type_label = _("News")

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        FieldPanel("section"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("photo_credit"), FieldPanel("video_url")],
            heading=_("Media"),
        ),
        FieldPanel("projects"),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("section"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("section"),
        SynchronizedField("video_url"),
        SynchronizedField("image"),
        SynchronizedField("projects"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def full_clean(self, *args, **kwargs):
        # A news item takes its section from the section page it is filed under
        # (the tree path is known once the page is placed, even before saving).
        if self.path and self.depth and self.depth > 1:
            parent = self.get_parent()
            parent = parent.specific if parent else None
            if isinstance(parent, NewsIndexPage) and parent.section:
                self.section = parent.section
        if self.path and not self.section:
            raise ValidationError(
                {
                    "section": _(
                        "Choose a section, or file the item under a section page."
                    )
                }
            )
        super().full_clean(*args, **kwargs)
