"""Programmes, the projects in them and the policies around them, as
structured records: the archive of past, current and planned policy."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BasePage, RecordPage

from .geometry import GeometryError, check_area
from .money import WonField, total_won


class Status(models.TextChoices):
    PAST = "past", _("Past")
    CURRENT = "current", _("Current")
    PLANNED = "planned", _("Planned")


class Stage(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary stage")
    MAIN = "main", _("Main stage")
    COMPLETED = "completed", _("Completed")


class PolicyKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    LAW = "law", _("Law")
    DECISION = "decision", _("Committee decision")
    STRATEGY = "strategy", _("Strategy")


def check_period(start, end, field: str = "end_date") -> None:
    """Refuse a period that ends before it starts."""
    if start and end and end < start:
        raise ValidationError(
            {field: _("The end date cannot be before the start date.")}
        )


class ProgrammeTermForm(WagtailAdminPageForm):
    """The admin form of pages with a `programme`: the programme is also
    saved among the page's programme terms (the form saves those terms after
    the page, so full_clean alone cannot add it)."""

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        if programme is not None and "programmes" in self.fields:
            chosen = list(cleaned.get("programmes") or [])
            if programme not in chosen:
                cleaned["programmes"] = [*chosen, programme]
        return cleaned


def status_field():
    return models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CURRENT
    )


class ArchivedMixin:
    """A record whose status can be past: it stays at its permanent URL and
    says it is archived."""

    status: str

    @property
    def is_archived(self) -> bool:
        return self.status == Status.PAST


class IntroducedPage(BasePage):
    """An area's front page: a title and a short introduction."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        abstract = True


class ProjectsIndexPage(RoutablePageMixin, IntroducedPage):
    """The projects area: programmes as children, with the map and the
    figures of every project as sub-pages."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProgrammePage"]
    template = "projects/projects_index_page.html"

    class Meta:
        verbose_name = _("projects index page")

    @path("", name="index")
    def index_route(self, request, *args, **kwargs):
        from .overview import programme_rows

        return self.render(
            request, context_overrides={"programme_rows": programme_rows(self)}
        )

    def get_sitemap_urls(self, request=None):
        """The map and the figures are pages readers should find too."""
        urls = super().get_sitemap_urls(request)
        for entry in list(urls):
            for route in ("map/", "figures/"):
                urls.append({**entry, "location": entry["location"] + route})
        return urls

    @path("map/", name="map")
    def map_view(self, request):
        from .views import project_map

        return project_map(self, request)

    @path("figures/", name="figures")
    def figures_view(self, request):
        from .views import figures

        return figures(self, request)

    # Wagtail serves only paths of word characters ending in a slash, so a
    # download's format is a path segment; the file name comes with it.
    @path("figures/<slug:name>/<slug:file_format>/", name="figure_download")
    def figure_download_view(self, request, name: str, file_format: str):
        from .views import figure_download

        return figure_download(self, request, name, file_format)


class ProgrammePage(ArchivedMixin, RecordPage):
    """One programme of the taxonomy, described: its law, period, budget and
    the projects chosen in it."""

    programme = models.ForeignKey(
        "taxonomy.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    status = status_field()
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = WonField(
        _("budget (won)"),
        null=True,
        blank=True,
        help_text=_("Type it as written, e.g. “1,159억 원”; it is stored in won."),
    )
    body = RichTextField(_("description"), blank=True)

    record_type_label = _("Programme")
    base_form_class = ProgrammeTermForm

    content_panels = RecordPage.content_panels + [
        FieldPanel("programme"),
        FieldPanel("date"),
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("budget"),
        FieldPanel("legal_basis"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("legal_basis"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("programme"),
        SynchronizedField("status"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("budget"),
    ]
    parent_page_types = ["projects.ProjectsIndexPage"]
    subpage_types = ["projects.ProjectPage"]
    template = "projects/programme_page.html"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def full_clean(self, *args, **kwargs):
        _include_programme(self)
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        check_period(self.start_date, self.end_date)

    def get_context(self, request, *args, **kwargs):
        from .overview import projects_by_cohort

        context = super().get_context(request, *args, **kwargs)
        context["cohorts"] = projects_by_cohort(self)
        return context


def _include_programme(page) -> None:
    """A page's own programme is always among its programme terms, so
    listings, search filters and related records find it there."""
    if not page.programme_id:
        return
    chosen = list(page.programmes.all())
    if all(term.pk != page.programme_id for term in chosen):
        page.programmes = [*chosen, page.programme]


class ProjectPage(RecordPage):
    """A project of a programme: where, by whom, with what money, at what
    stage and with what results. `date` is the day it was selected."""

    programme = models.ForeignKey(
        "taxonomy.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    cohort_year = models.PositiveSmallIntegerField(
        _("cohort year"), help_text=_("The year the project was selected.")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, db_index=True
    )
    city = models.ForeignKey(
        "taxonomy.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("city"),
    )
    lead_organisation = models.ForeignKey(
        "taxonomy.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    partners = ParentalManyToManyField(
        "taxonomy.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("partners"),
    )
    budget_national = WonField(_("national budget (won)"), null=True, blank=True)
    budget_local = WonField(_("local budget (won)"), null=True, blank=True)
    budget_private = WonField(_("private budget (won)"), null=True, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_(
            "Optional GeoJSON Polygon or MultiPolygon geometry of the project's district."
        ),
    )
    body = RichTextField(_("description"), blank=True)

    record_type_label = _("Project")
    base_form_class = ProgrammeTermForm

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        MultiFieldPanel(
            [
                FieldPanel("programme"),
                FieldRowPanel([FieldPanel("cohort_year"), FieldPanel("stage")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading=_("Programme and stage"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("area"),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [FieldPanel("lead_organisation"), FieldPanel("partners")],
            heading=_("Organisations"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("budget_national"),
                FieldPanel("budget_local"),
                FieldPanel("budget_private"),
            ],
            heading=_("Budget"),
        ),
        InlinePanel("outcomes", heading=_("Outcomes and indicators")),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("outcomes", [index.SearchField("indicator")]),
        index.FilterField("stage"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("programme"),
        SynchronizedField("cohort_year"),
        SynchronizedField("stage"),
        SynchronizedField("city"),
        SynchronizedField("lead_organisation"),
        SynchronizedField("partners"),
        SynchronizedField("budget_national"),
        SynchronizedField("budget_local"),
        SynchronizedField("budget_private"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
        SynchronizedField("area"),
    ]
    parent_page_types = ["projects.ProgrammePage"]
    subpage_types: list[str] = []
    template = "projects/project_page.html"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["cohort_year", "stage"], name="project_cohort_stage"),
        ]

    @property
    def budget_total(self) -> int | None:
        return total_won(self.budget_national, self.budget_local, self.budget_private)

    @property
    def has_location(self) -> bool:
        return (self.latitude is not None and self.longitude is not None) or bool(
            self.area
        )

    def full_clean(self, *args, **kwargs):
        _include_programme(self)
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        check_period(self.start_date, self.end_date)
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Give both latitude and longitude, or neither.")}
            )
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("A latitude is between -90 and 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError(
                {"longitude": _("A longitude is between -180 and 180.")}
            )
        if self.area:
            try:
                check_area(self.area)
            except GeometryError as exc:
                raise ValidationError({"area": str(exc)}) from exc

    def get_context(self, request, *args, **kwargs):
        from .overview import project_documents, project_news

        context = super().get_context(request, *args, **kwargs)
        context["project_news"] = project_news(self)
        context["project_documents"] = project_documents(self)
        return context


class ProjectOutcome(Orderable):
    """One measured result of a project, e.g. waiting time 78 → 13 minutes."""

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="outcomes")
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.DecimalField(
        _("before"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(_("result"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    panels = [
        FieldPanel("indicator"),
        FieldRowPanel(
            [FieldPanel("baseline"), FieldPanel("value"), FieldPanel("unit")]
        ),
        FieldPanel("measured_on"),
    ]

    def __str__(self) -> str:
        return self.indicator


class PolicyIndexPage(IntroducedPage):
    """The policy archive: every plan, law, decision and programme on one
    timeline, from the U-City era to the plans still ahead."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.PolicyPage"]
    template = "projects/policy_index_page.html"

    class Meta:
        verbose_name = _("policy archive page")

    def get_context(self, request, *args, **kwargs):
        from .timeline import build_timeline

        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = build_timeline(request.GET)
        return context


class PolicyPage(ArchivedMixin, RecordPage):
    """A plan, a law or a committee decision, with the years it was in force
    and what it replaced. `date` is the day it was announced."""

    kind = models.CharField(_("kind"), max_length=10, choices=PolicyKind.choices)
    status = status_field()
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    body = RichTextField(_("description"), blank=True)

    record_type_label = _("Policy")

    content_panels = RecordPage.content_panels + [
        FieldPanel("date"),
        FieldPanel("kind"),
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("supersedes"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [index.SearchField("body")]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("kind"),
        SynchronizedField("status"),
        SynchronizedField("valid_from"),
        SynchronizedField("valid_until"),
        SynchronizedField("supersedes"),
    ]
    parent_page_types = ["projects.PolicyIndexPage"]
    subpage_types: list[str] = []
    template = "projects/policy_page.html"

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def clean(self):
        super().clean()
        check_period(self.valid_from, self.valid_until, field="valid_until")
        if self.supersedes_id and self.supersedes_id == self.pk:
            raise ValidationError(
                {"supersedes": _("A policy cannot supersede itself.")}
            )

    def successor(self):
        """The live policy that replaced this one, in the reader's language."""
        from django.utils.translation import get_language

        from scis.core.records import live_pages_of

        newer = (
            live_pages_of(PolicyPage)
            .filter(supersedes__translation_key=self.translation_key)
            .order_by("valid_from")
            .first()
        )
        if newer is None:
            return None
        return newer.translation_in(get_language() or "ko") or newer

    def predecessor(self):
        from django.utils.translation import get_language

        older = self.supersedes
        if older is None or not older.live:
            return None
        return older.translation_in(get_language() or "ko") or older
