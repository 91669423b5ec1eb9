"""The home page and the index of every record."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BaseIndexPage, BasePage
from scis.core.records import latest_records, upcoming_records
from scis.news.models import NewsIndexPage
from scis.taxonomy.models import Programme

LATEST_PER_SECTION = 4
UPCOMING_EVENTS = 4


class HomePage(BasePage):
    introduction = models.TextField(_("introduction"), blank=True)
    featured_programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("featured programme"),
        help_text=_("Empty: the programme marked as featured in the taxonomy."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("featured_programme"),
    ]
    override_translatable_fields = [SynchronizedField("featured_programme")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "library.LiteratureIndexPage",
        "library.DocumentIndexPage",
        "events.EventIndexPage",
        "about.StandardPage",
        "home.RecordIndexPage",
        "projects.ProjectsIndexPage",
        "projects.PolicyIndexPage",
        "newsletter.NewsletterIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def programme(self) -> Programme | None:
        return (
            self.featured_programme or Programme.objects.filter(featured=True).first()
        )

    # The template calls these inside a fragment cache keyed on the catalogue
    # version, so they only run after something was published.
    def latest_sections(self) -> list[tuple[NewsIndexPage, list]]:
        """Each news section page with its newest items."""
        # Sorted here, not in SQL: ordering by tree path makes SQLite walk
        # the whole page index for a handful of rows.
        sections = sorted(
            NewsIndexPage.objects.live()
            .public()
            .filter(locale=self.locale)
            .exclude(section="")
            .descendant_of(self)
            .order_by(),
            key=lambda page: page.path,
        )
        language = self.locale.language_code
        return [
            (
                index_page,
                latest_records(
                    language,
                    "news",
                    section=index_page.section,
                    limit=LATEST_PER_SECTION,
                ),
            )
            for index_page in sections
        ]

    def upcoming_events(self) -> list:
        return upcoming_records(self.locale.language_code, "event", UPCOMING_EVENTS)

    def programme_news(self) -> list:
        programme = self.programme()
        if programme is None:
            return []
        return latest_records(
            self.locale.language_code, "news", programme=programme, limit=3
        )

    def record_index(self):
        return (
            RecordIndexPage.objects.live().filter(locale=self.locale).order_by().first()
        )


class RecordIndexPage(BaseIndexPage):
    """Every record of every type on one filterable list."""

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("record index page")
