"""Filtered, faceted, paginated listings of records, read from the catalogue.

A listing takes the reader's language and the index page's scope (which record
types, which section), applies the filters found in the query string, counts
how many records each filter value would give, and pages through the result
newest first. Bad input never raises: unknown values and out-of-range pages
come back as notices for the reader.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scis.taxonomy.models import Organisation, Programme, Region, Topic

from .models import CatalogueEntry
from .records import record_models, record_type_key

# filter name → (catalogue field, term model, label)
TAXONOMY_FACETS: dict[str, tuple[str, Any, Any]] = {
    "region": ("regions", Region, gettext_lazy("Region")),
    "programme": ("programmes", Programme, gettext_lazy("Programme")),
    "topic": ("topics", Topic, gettext_lazy("Topic")),
    "organisation": ("organisations", Organisation, gettext_lazy("Organisation")),
}
FILTER_NAMES = ("type", "section", "year", *TAXONOMY_FACETS)
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> FacetOption | None:
        return next((o for o in self.options if o.selected), None)


@dataclass
class Listing:
    page: PaginatorPage
    facets: list[Facet]
    notices: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    # Parameters every link keeps, whatever the filters (the search words).
    kept: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    def _query(self, **params: str) -> str:
        query = QueryDict(mutable=True)
        query.update(self.kept)
        query.update(params)
        return query.urlencode()

    def query_for_page(self, number: int) -> str:
        return self._query(**self.filters, page=str(number))

    @property
    def reset_query(self) -> str:
        """The query string with every filter removed."""
        return self._query()

    @property
    def active(self) -> list[dict]:
        """The filters in force, each with the query string that removes it."""
        items = []
        for facet in self.facets:
            option = facet.selected
            if option is None:
                continue
            others = {k: v for k, v in self.filters.items() if k != facet.name}
            items.append(
                {
                    "facet": facet.label,
                    "label": option.label,
                    "remove_query": self._query(**others),
                }
            )
        return items


def _models_by_key() -> dict[str, Any]:
    return {record_type_key(model): model for model in record_models()}


def _section_choices(type_keys: list[str]) -> dict[str, str]:
    choices: dict[str, str] = {}
    models = _models_by_key()
    for key in type_keys:
        model = models[key]
        if any(f.name == "section" for f in model._meta.get_fields()):
            choices.update(
                {k: str(v) for k, v in model._meta.get_field("section").choices}
            )
    return choices


class ListingQuery:
    """Parses the reader's filters once and applies them to the catalogue."""

    def __init__(
        self, params: QueryDict, type_keys: list[str], fixed_section: str = ""
    ):
        self.type_keys = type_keys
        self.fixed_section = fixed_section
        self.section_choices = {} if fixed_section else _section_choices(type_keys)
        self.notices: list[str] = []
        self.filters: dict[str, str] = {}
        self.terms: dict[str, list[int]] = {}
        for name in FILTER_NAMES:
            value = params.get(name, "").strip()
            if value:
                self._accept(name, value)

    def _reject(self, label, value: str) -> None:
        self.notices.append(
            _("No %(filter)s called “%(value)s” exists, so that filter was ignored.")
            % {"filter": str(label).lower(), "value": value[:60]}
        )

    def _accept(self, name: str, value: str) -> None:
        if "\x00" in value:  # no term, type or year holds one (PostgreSQL cannot)
            labels = {"type": _("Type"), "section": _("Section"), "year": _("Year")}
            label = labels[name] if name in labels else TAXONOMY_FACETS[name][2]
            self._reject(label, value.replace("\x00", ""))
            return
        if name == "type":
            if value in self.type_keys:
                self.filters[name] = value
            elif len(self.type_keys) > 1:
                self._reject(_("Type"), value)
        elif name == "section":
            if value in self.section_choices:
                self.filters[name] = value
            elif self.section_choices:
                self._reject(_("Section"), value)
        elif name == "year":
            if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
                self.filters[name] = value
            else:
                self.notices.append(
                    _("“%(value)s” is not a year, so the year filter was ignored.")
                    % {"value": value[:60]}
                )
        else:
            _field, term_model, label = TAXONOMY_FACETS[name]
            term = term_model.objects.filter(slug=value).first()
            if term is None:
                self._reject(label, value)
                return
            self.filters[name] = value
            ids = [term.pk]
            if term_model is Region:
                ids += list(term.children.values_list("pk", flat=True))
            self.terms[name] = ids

    def queryset(self, language: str, skip: str | None = None) -> QuerySet:
        """Catalogue rows matching every filter except `skip`."""
        qs = CatalogueEntry.objects.filter(language=language)
        chosen_type = self.filters.get("type") if skip != "type" else None
        types = [chosen_type] if chosen_type else self.type_keys
        qs = (
            qs.filter(record_type=types[0])
            if len(types) == 1
            else qs.filter(record_type__in=types)
        )
        if self.fixed_section:
            qs = qs.filter(section=self.fixed_section)
        for name, value in self.filters.items():
            if name in (skip, "type") or name not in FILTER_NAMES:
                continue  # a subclass's own filter
            if name == "section":
                qs = qs.filter(section=value)
            elif name == "year":
                qs = qs.filter(year=int(value))
            else:
                through, term_col = CatalogueEntry.term_link(TAXONOMY_FACETS[name][0])
                entries = through.objects.filter(
                    **{f"{term_col}__in": self.terms[name]}
                )
                qs = qs.filter(pk__in=entries.values("catalogueentry_id"))
        return qs


def _grouped(qs: QuerySet, column) -> dict:
    return dict(qs.order_by().values_list(column).annotate(n=Count("pk")))


def count_values(query: ListingQuery, language: str) -> dict[str, dict]:
    """How many records each value of each filter would give, every filter
    counted with the others applied (one grouped query per filter)."""
    counts: dict[str, dict] = {}
    if len(query.type_keys) > 1:
        counts["type"] = _grouped(query.queryset(language, skip="type"), "record_type")
    if query.section_choices:
        counts["section"] = _grouped(
            query.queryset(language, skip="section"), "section"
        )
    counts["year"] = _grouped(query.queryset(language, skip="year"), "year")
    for name, (field_name, _model, _label) in TAXONOMY_FACETS.items():
        through, term_col = CatalogueEntry.term_link(field_name)
        entries = query.queryset(language, skip=name).values("pk")
        counts[name] = _grouped(
            through.objects.filter(catalogueentry_id__in=entries), term_col
        )
    return counts


def _cached_facets(query: ListingQuery, language: str) -> tuple[int, list[Facet]]:
    """The total and the labelled facets of a filter set. Counting is the
    costly part of a listing and only changes when published content or the
    taxonomy does, so both are cached under the catalogue version."""
    from django.core.cache import cache

    from .catalogue import version

    signature = json.dumps(
        [language, query.type_keys, query.fixed_section, sorted(query.filters.items())]
    )
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    key = f"scis:listing-facets:{version()}:{digest}"
    cached = cache.get(key)
    if cached is None:
        counts = count_values(query, language)
        cached = (total_of(counts, query.filters), labelled_facets(query, counts))
        cache.set(key, cached, 3600)
    return cached


def labelled_facets(
    query: ListingQuery, counts: dict[str, dict], stamp: tuple | None = None
) -> list[Facet]:
    facets: list[Facet] = []
    selected = query.filters
    models = _models_by_key()

    if "type" in counts:
        facets.append(
            Facet(
                "type",
                _("Type"),
                [
                    FacetOption(
                        key,
                        str(models[key].record_type_label),
                        counts["type"].get(key, 0),
                        selected.get("type") == key,
                    )
                    for key in query.type_keys
                    if counts["type"].get(key) or selected.get("type") == key
                ],
            )
        )
    if "section" in counts:
        facets.append(
            Facet(
                "section",
                _("Section"),
                [
                    FacetOption(
                        k,
                        label,
                        counts["section"].get(k, 0),
                        selected.get("section") == k,
                    )
                    for k, label in query.section_choices.items()
                    if counts["section"].get(k) or selected.get("section") == k
                ],
            )
        )
    facets.append(
        Facet(
            "year",
            _("Year"),
            [
                FacetOption(str(y), str(y), n, selected.get("year") == str(y))
                for y, n in sorted(counts["year"].items(), reverse=True)
            ],
        )
    )
    every = _taxonomy_terms(stamp)
    for name, (_field, term_model, label) in TAXONOMY_FACETS.items():
        known = every[term_model]
        terms = {pk: known[pk] for pk in counts[name] if pk in known}
        chosen = selected.get(name)
        options = [
            FacetOption(t.slug, t.name, counts[name][pk], t.slug == chosen)
            for pk, t in terms.items()
        ]
        if chosen and not any(o.selected for o in options):
            term = term_model.objects.filter(slug=chosen).first()
            if term:
                options.append(FacetOption(term.slug, term.name, 0, True))
        options.sort(key=lambda o: (-o.count, o.label))
        facets.append(Facet(name, str(label), options))
    return facets


_terms_held: tuple[tuple, dict] | None = None


def _taxonomy_terms(stamp: tuple | None = None) -> dict[type, dict[int, Any]]:
    """Every taxonomy term by model and id, kept in this process until the
    catalogue version changes (editing a term raises it): reading a few
    hundred terms for every facet list cost more than counting them."""
    from .catalogue import version_and_time

    global _terms_held
    stamp = stamp or version_and_time()
    held = _terms_held
    if held is None or held[0] != stamp:
        models = {term_model for _f, term_model, _l in TAXONOMY_FACETS.values()}
        held = (stamp, {m: m.objects.in_bulk() for m in models})
        _terms_held = held
    return held[1]


class KnownCountPaginator(Paginator):
    """A paginator told its total instead of counting the rows again."""

    def __init__(self, object_list, per_page, total: int):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self._total = total

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._total


def requested_page(paginator: Paginator, params: QueryDict, notices: list[str]):
    """The page the query string asks for; a bad or out-of-range number
    gives the first or last page and a notice saying so."""
    raw = params.get("page", "1").strip() or "1"
    number = int(raw) if raw.isdigit() else 0
    if number < 1:
        notices.append(
            _("“%(value)s” is not a page number; showing the first page.")
            % {"value": raw[:20]}
        )
        number = 1
    elif number > paginator.num_pages:
        notices.append(
            _("There is no page %(number)s; showing the last page, %(last)s.")
            % {"number": number, "last": paginator.num_pages}
        )
        number = paginator.num_pages
    return paginator.page(number)


def total_of(counts: dict[str, dict], filters: dict[str, str]) -> int:
    """Records matching every filter: every record has exactly one year, so
    the year counts (which skip the year filter) give the total."""
    chosen_year = filters.get("year")
    if chosen_year:
        return counts["year"].get(int(chosen_year), 0)
    return sum(counts["year"].values())


def records_for(entries: list[CatalogueEntry]) -> list:
    """The specific record pages behind catalogue rows, in the rows' order."""
    models = _models_by_key()
    wanted: dict[str, list[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.record_type, []).append(entry.page_id)
    pages = {}
    for key, ids in wanted.items():
        # No ORDER BY: Wagtail's default ordering by tree path makes SQLite
        # walk the whole path index instead of looking the ids up.
        # Cards show titles and summaries: leave the long texts in the database.
        model = models[key]
        heavy = [name for name in ("body", "extracted_text") if hasattr(model, name)]
        rows = (
            model.objects.filter(pk__in=ids)
            .select_related("locale")
            .defer(*heavy)
            .order_by()
        )
        for page in rows:
            pages[page.pk] = page
    return [pages[e.page_id] for e in entries if e.page_id in pages]


def build_listing(
    params: QueryDict,
    language: str,
    type_keys: list[str],
    page_size: int,
    fixed_section: str = "",
) -> Listing:
    """Filter, count and page the catalogue for one index page."""
    query = ListingQuery(params, type_keys, fixed_section)
    total, facets = _cached_facets(query, language)
    rows = query.queryset(language).order_by("-date", "-id")
    paginator = KnownCountPaginator(rows, page_size, total)

    page = requested_page(paginator, params, query.notices)
    page.object_list = records_for(list(page.object_list))
    return Listing(
        page=page,
        facets=facets,
        notices=query.notices,
        filters=query.filters,
    )
