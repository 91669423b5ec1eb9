"""Filtered, faceted, paginated listings of records.

A listing takes one or more record querysets (already limited to the reader's
language and the index page's scope), applies the filters found in the query
string, counts how many records each filter value would give, and pages
through the result newest first. Bad input never raises: unknown values and
out-of-range pages come back as notices for the reader.
"""

import heapq
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, cast

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scis.taxonomy.models import Organisation, Programme, Region, Topic

from .records import record_type_key

# filter name → (page field, term model, label)
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

    @property
    def total(self) -> int:
        return self.page.paginator.count

    def query_for_page(self, number: int) -> str:
        params = QueryDict(mutable=True)
        params.update(self.filters)
        params["page"] = str(number)
        return params.urlencode()

    @property
    def active(self) -> list[dict]:
        """The filters in force, each with the query string that removes it."""
        items = []
        for facet in self.facets:
            option = facet.selected
            if option is None:
                continue
            params = QueryDict(mutable=True)
            params.update({k: v for k, v in self.filters.items() if k != facet.name})
            items.append(
                {
                    "facet": facet.label,
                    "label": option.label,
                    "remove_query": params.urlencode(),
                }
            )
        return items


class _MergedRecords:
    """The records of several querysets, newest first, fetched lazily so the
    paginator only loads the rows of the page it shows."""

    def __init__(self, querysets: list[QuerySet]):
        self.querysets = [qs.order_by("-date", "-pk") for qs in querysets]

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop
        if len(self.querysets) == 1:
            return list(self.querysets[0][start:stop])
        keyed = [
            [
                (row_date, pk, index)
                for pk, row_date in qs.values_list("pk", "date")[:stop]
            ]
            for index, qs in enumerate(self.querysets)
        ]
        merged = heapq.merge(*keyed, reverse=True)
        chosen = list(islice(merged, start, stop))
        by_index: dict[int, list[int]] = {}
        for _date, pk, index in chosen:
            by_index.setdefault(index, []).append(pk)
        objects = {}
        for index, pks in by_index.items():
            for obj in self.querysets[index].filter(pk__in=pks):
                objects[(index, obj.pk)] = obj
        return [objects[(index, pk)] for _date, pk, index in chosen]


def _through(model, field_name):
    """The M2M join model and the names of its page and term columns."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    page_col = relation.m2m_field_name()
    term_col = relation.m2m_reverse_field_name()
    return through, page_col, term_col


def _filter_by_terms(qs: QuerySet, field_name: str, term_ids: list[int]) -> QuerySet:
    through, page_col, term_col = _through(qs.model, field_name)
    page_ids = through.objects.filter(**{f"{term_col}__in": term_ids}).values(page_col)
    return qs.filter(pk__in=page_ids)


class ListingQuery:
    """Parses the reader's filters once and applies them to each queryset."""

    def __init__(self, params: QueryDict, models: list[Any]):
        self.models = models
        self.notices: list[str] = []
        self.filters: dict[str, str] = {}
        self.terms: dict[str, list[int]] = {}
        self.type_keys = {record_type_key(m): m for m in models}
        self.section_choices = self._section_choices()
        for name in FILTER_NAMES:
            value = params.get(name, "").strip()
            if value:
                self._accept(name, value)

    def _section_choices(self) -> dict[str, str]:
        choices: dict[str, str] = {}
        for model in self.models:
            if any(f.name == "section" for f in model._meta.get_fields()):
                choices.update(
                    {k: str(v) for k, v in model._meta.get_field("section").choices}
                )
        return choices

    def _reject(self, label, value: str) -> None:
        self.notices.append(
            _("No %(filter)s called “%(value)s” exists, so that filter was ignored.")
            % {"filter": str(label).lower(), "value": value[:60]}
        )

    def _accept(self, name: str, value: str) -> None:
        if name == "type":
            if value in self.type_keys:
                self.filters[name] = value
            elif len(self.models) > 1:
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

    def active_models(self, skip: str | None = None) -> list[Any]:
        if "type" in self.filters and skip != "type":
            return [self.type_keys[self.filters["type"]]]
        return self.models

    def apply(self, qs: QuerySet, skip: str | None = None) -> QuerySet:
        """The queryset with every filter applied except `skip`."""
        model = qs.model
        for name, value in self.filters.items():
            if name == skip or name == "type":
                continue
            if name == "section":
                if "section" not in {f.name for f in model._meta.get_fields()}:
                    return qs.none()
                qs = qs.filter(section=value)
            elif name == "year":
                qs = qs.filter(date__year=int(value))
            else:
                qs = _filter_by_terms(qs, TAXONOMY_FACETS[name][0], self.terms[name])
        return qs


def _count_rows(rows, counts: dict) -> None:
    for key, n in rows:
        counts[key] = counts.get(key, 0) + n


def _facets(query: ListingQuery, sources: dict[Any, QuerySet]) -> list[Facet]:
    facets: list[Facet] = []
    selected = query.filters

    if len(sources) > 1:
        options = []
        for model in query.models:
            n = query.apply(sources[model], skip="type").count()
            key = record_type_key(model)
            if n or selected.get("type") == key:
                options.append(
                    FacetOption(
                        key,
                        str(model.record_type_label),
                        n,
                        selected.get("type") == key,
                    )
                )
        facets.append(Facet("type", _("Type"), options))

    if query.section_choices:
        counts: dict = {}
        for model in query.active_models():
            if "section" in {f.name for f in model._meta.get_fields()}:
                qs = query.apply(sources[model], skip="section").order_by()
                _count_rows(qs.values_list("section").annotate(n=Count("pk")), counts)
        facets.append(
            Facet(
                "section",
                _("Section"),
                [
                    FacetOption(
                        k, label, counts.get(k, 0), selected.get("section") == k
                    )
                    for k, label in query.section_choices.items()
                    if counts.get(k) or selected.get("section") == k
                ],
            )
        )

    counts = {}
    for model in query.active_models():
        qs = query.apply(sources[model], skip="year").order_by()
        rows = (
            qs.annotate(y=ExtractYear("date")).values_list("y").annotate(n=Count("pk"))
        )
        _count_rows(rows, counts)
    facets.append(
        Facet(
            "year",
            _("Year"),
            [
                FacetOption(str(y), str(y), n, selected.get("year") == str(y))
                for y, n in sorted(counts.items(), reverse=True)
            ],
        )
    )

    for name, (field_name, term_model, label) in TAXONOMY_FACETS.items():
        counts = {}
        for model in query.active_models():
            through, page_col, term_col = _through(model, field_name)
            page_ids = query.apply(sources[model], skip=name).order_by().values("pk")
            rows = (
                through.objects.filter(**{f"{page_col}__in": page_ids})
                .values_list(term_col)
                .annotate(n=Count("pk"))
                .order_by()
            )
            _count_rows(rows, counts)
        terms = term_model.objects.in_bulk(list(counts))
        chosen = selected.get(name)
        options = [
            FacetOption(t.slug, t.name, counts[pk], t.slug == chosen)
            for pk, t in terms.items()
        ]
        if chosen and not any(o.selected for o in options):
            term = term_model.objects.filter(slug=chosen).first()
            if term:
                options.append(FacetOption(term.slug, term.name, 0, True))
        options.sort(key=lambda o: (-o.count, o.label))
        facets.append(Facet(name, str(label), options))
    return facets


def build_listing(
    params: QueryDict,
    sources: dict[Any, QuerySet],
    page_size: int,
) -> Listing:
    """Filter, count and page the records of `sources` (model → queryset)."""
    query = ListingQuery(params, list(sources))
    querysets = [query.apply(sources[m]) for m in query.active_models()]
    paginator = Paginator(
        cast(Any, _MergedRecords(querysets)), page_size, allow_empty_first_page=True
    )

    raw_page = params.get("page", "1").strip() or "1"
    number = int(raw_page) if raw_page.isdigit() else None
    if number is None or number < 1:
        query.notices.append(
            _("“%(value)s” is not a page number; showing the first page.")
            % {"value": raw_page[:20]}
        )
        number = 1
    elif number > paginator.num_pages:
        query.notices.append(
            _("There is no page %(number)s; showing the last page, %(last)s.")
            % {"number": number, "last": paginator.num_pages}
        )
        number = paginator.num_pages
    page = paginator.page(number)
    return Listing(
        page=page,
        facets=_facets(query, sources),
        notices=query.notices,
        filters=query.filters,
    )
