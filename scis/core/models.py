"""Abstract page bases shared by every content app."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


class BasePage(Page):
    """Every SCIS page: knows its counterpart in the other portal language."""

    class Meta:
        abstract = True

    def translation_in(self, language_code: str):
        """The live page in `language_code` that translates this one, or None."""
        if self.locale.language_code == language_code:
            return self
        return (
            self.get_translations()
            .live()
            .filter(locale__language_code=language_code)
            .order_by()
            .first()
        )


class Provenance(models.TextChoices):
    TYPED = "typed", _("typed by an editor")
    IMPORTED = "imported", _("imported")
    HARVESTED = "harvested", _("harvested")


class RecordPage(BasePage):
    """Fields every content record carries (DESIGN.md §3): date, source
    organisations, classification and provenance. Revision history and the
    link to the translation come from Wagtail and wagtail-localize."""

    date = models.DateField(_("date"), db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    organisations = ParentalManyToManyField(
        "taxonomy.Organisation", blank=True, verbose_name=_("source organisations")
    )
    regions = ParentalManyToManyField(
        "taxonomy.Region", blank=True, verbose_name=_("regions")
    )
    programmes = ParentalManyToManyField(
        "taxonomy.Programme", blank=True, verbose_name=_("programmes")
    )
    topics = ParentalManyToManyField(
        "taxonomy.Topic", blank=True, verbose_name=_("topics")
    )
    provenance = models.CharField(
        _("provenance"),
        max_length=20,
        choices=Provenance.choices,
        default=Provenance.TYPED,
    )
    # Indexed: the harvester and the importers look records up by both.
    original_url = models.URLField(
        _("original URL"), max_length=1000, blank=True, db_index=True
    )
    source_id = models.CharField(
        _("source identifier"),
        max_length=500,
        blank=True,
        db_index=True,
        help_text=_("GUID or id of the record in the system it came from."),
    )

    # The record type shown to readers, e.g. "News"; set by each subclass.
    record_type_label = _("Record")

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("date"),
    ]

    override_translatable_fields = [
        SynchronizedField("date"),
        SynchronizedField("provenance"),
        SynchronizedField("original_url"),
        SynchronizedField("source_id"),
    ]

    classification_panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisations"),
                FieldPanel("regions"),
                FieldPanel("programmes"),
                FieldPanel("topics"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("provenance"),
                FieldPanel("original_url"),
                FieldPanel("source_id"),
            ],
            heading=_("Provenance"),
        ),
    ]

    class Meta:
        abstract = True
        ordering = ["-date"]

    def get_context(self, request, *args, **kwargs):
        from django.db.models import prefetch_related_objects

        from .records import TAXONOMY_FIELDS, related_records

        # The byline, the facts and the citation all show these terms.
        prefetch_related_objects([self], *TAXONOMY_FIELDS)
        context = super().get_context(request, *args, **kwargs)
        context["related_records"] = related_records(self)
        return context


class BaseIndexPage(BasePage):
    """A page that lists records below it, filtered from the query string."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        abstract = True

    def listed_models(self) -> list[type[RecordPage]]:
        """The record models this index lists; subclasses narrow it."""
        from .records import record_models

        return list(record_models())

    def listed_section(self) -> str:
        """A section this index is limited to, or "" for all."""
        return ""

    def get_context(self, request, *args, **kwargs):
        from django.conf import settings
        from django.utils.translation import get_language

        from .listing import build_listing
        from .records import record_type_key

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = build_listing(
            request.GET,
            language=get_language(),
            type_keys=[record_type_key(m) for m in self.listed_models()],
            page_size=settings.LISTING_PAGE_SIZE,
            fixed_section=self.listed_section(),
        )
        return context


class CatalogueEntry(models.Model):
    """One record as listed in one reading language (see catalogue.py).
    Derived data: `rebuild_catalogue` recreates it from the live pages."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    record_type = models.CharField(max_length=30)
    section = models.CharField(max_length=30, blank=True)
    date = models.DateField()
    year = models.PositiveSmallIntegerField()
    end_date = models.DateField(null=True, blank=True)
    fallback = models.BooleanField(
        default=False, help_text="Listed in a language it is not written in."
    )
    organisations = models.ManyToManyField("taxonomy.Organisation", related_name="+")
    regions = models.ManyToManyField("taxonomy.Region", related_name="+")
    programmes = models.ManyToManyField("taxonomy.Programme", related_name="+")
    topics = models.ManyToManyField("taxonomy.Topic", related_name="+")

    @classmethod
    def term_link(cls, field: str) -> tuple[Any, str]:
        """The join model of a taxonomy field and the name of its term column."""
        relation: Any = cls._meta.get_field(field)
        return relation.remote_field.through, relation.m2m_reverse_field_name()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_entry_per_language"
            )
        ]
        indexes = [
            models.Index(fields=["language", "date", "id"], name="catalogue_by_date"),
            # A year filter reads one year's rows already in date order.
            models.Index(
                fields=["language", "year", "date", "id"], name="catalogue_by_year_date"
            ),
            models.Index(
                fields=["language", "record_type", "date", "id"],
                name="catalogue_by_type",
            ),
            models.Index(
                fields=["language", "record_type", "section", "date", "id"],
                name="catalogue_by_section",
            ),
            models.Index(
                fields=["language", "record_type", "end_date"], name="catalogue_by_end"
            ),
        ]


class CatalogueVersion(models.Model):
    """A counter raised whenever published content changes. Cached listing
    counts and page fragments are keyed on it, so every process sees a
    change at once whatever cache backend it uses."""

    number = models.PositiveBigIntegerField(default=1)
    # When it was last raised: the Last-Modified of API answers and feeds.
    changed_at = models.DateTimeField(null=True, blank=True)
