"""About pages: what a smart city is, the history, and what SCIS is for."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BasePage, RecordPage

from .blocks import AboutStreamBlock


class StandardPage(BasePage):
    """A page of prose with optional timeline and download blocks."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(AboutStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage", "about.StandardPage"]
    subpage_types = ["about.StandardPage", "about.DefinitionIndexPage"]

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = self.get_children().live().public().specific()
        return context


class DefinitionIndexPage(BasePage):
    """“What is a smart city?”: the definitions of each source, in order."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["about.StandardPage", "home.HomePage"]
    subpage_types = ["about.DefinitionPage"]

    class Meta:
        verbose_name = _("definition index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["definitions"] = (
            DefinitionPage.objects.child_of(self)
            .live()
            .public()
            .order_by("sort_order", "pk")
        )
        return context


class DefinitionPage(RecordPage):
    """One source's definition of a smart city, with its citation."""

    source_name = models.CharField(_("source"), max_length=200)
    country_code = models.CharField(
        _("country"),
        max_length=3,
        help_text=_("ISO 3166 code, or EU / INT for international bodies."),
    )
    body = RichTextField(_("definition"))
    citation = models.TextField(_("citation"))
    citation_url = models.URLField(_("citation URL"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    record_type_label = _("Definition")

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        FieldPanel("source_name"),
        FieldPanel("country_code"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("citation"),
        FieldPanel("citation_url"),
        FieldPanel("sort_order"),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("source_name"),
        index.SearchField("citation"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("country_code"),
        SynchronizedField("citation_url"),
        SynchronizedField("sort_order"),
    ]
    parent_page_types = ["about.DefinitionIndexPage"]
    subpage_types: list[str] = []

    @property
    def search_context(self) -> str:
        """What the definition defines, for the search index: its title names
        only the source (대한민국), the question it answers is its index
        page's title (스마트도시란?)."""
        parent = self.get_parent()
        return parent.title if parent else ""

    class Meta:
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")
