"""Research literature and published documents (plans, brochures, guides)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BaseIndexPage, RecordPage

from .pdf_text import extract_pdf_text


class LiteratureIndexPage(BaseIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.LiteraturePage"]

    class Meta:
        verbose_name = _("literature index page")

    def listed_models(self):
        return [LiteraturePage]


class LiteraturePage(RecordPage):
    """A research paper or report; `summary` is the abstract's lead and `body`
    the full abstract."""

    body = RichTextField(_("abstract"), blank=True)
    venue = models.CharField(_("venue or publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    external_url = models.URLField(_("URL"), max_length=1000, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF"),
    )

    record_type_label = _("Literature")

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        InlinePanel("authors", label=_("Authors"), min_num=1),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("year"),
                FieldPanel("doi"),
                FieldPanel("external_url"),
                FieldPanel("keywords"),
                FieldPanel("pdf"),
            ],
            heading=_("Publication"),
        ),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("venue"),
        index.SearchField("keywords"),
        index.RelatedFields("authors", [index.SearchField("name")]),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("year"),
        SynchronizedField("doi"),
        SynchronizedField("external_url"),
        SynchronizedField("pdf"),
    ]
    parent_page_types = ["library.LiteratureIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("literature record")
        verbose_name_plural = _("literature")

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class LiteratureAuthor(Orderable):
    page = ParentalKey(LiteraturePage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("affiliation")]

    def __str__(self) -> str:
        return self.name


class DocumentIndexPage(BaseIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.DocumentPage"]

    class Meta:
        verbose_name = _("document index page")

    def listed_models(self):
        return [DocumentPage]


class DocumentKind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure")
    GUIDELINE = "guideline", _("Guideline")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    LAW = "law", _("Law")


class DocumentPage(RecordPage):
    """A downloadable publication; the PDF's text is extracted on save so
    search can find what is inside it."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    body = RichTextField(_("description"), blank=True)
    file = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("file"),
    )
    extracted_text = models.TextField(
        _("extracted text"),
        blank=True,
        editable=False,
        help_text=_("Text taken from the file, for search."),
    )

    record_type_label = _("Document")

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        FieldPanel("kind"),
        FieldPanel("year"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("file"),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("extracted_text"),
        index.FilterField("kind"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("kind"),
        SynchronizedField("year"),
        SynchronizedField("file", overridable=True),
        SynchronizedField("extracted_text"),
    ]
    parent_page_types = ["library.DocumentIndexPage", "about.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def full_clean(self, *args, **kwargs):
        # Extract only when the file changes: revisions reuse the stored text.
        stored_file_id = (
            DocumentPage.objects.filter(pk=self.pk)
            .values_list("file_id", flat=True)
            .first()
            if self.pk
            else None
        )
        if not self.file_id:
            self.extracted_text = ""
        elif self.file_id != stored_file_id or not self.extracted_text:
            self.extracted_text = extract_pdf_text(self.file)
        super().full_clean(*args, **kwargs)
