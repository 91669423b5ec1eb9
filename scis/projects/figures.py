"""Project figures: counts and budgets by programme, region, cohort year and
service domain, as tables, server-drawn bar charts and downloads."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .money import format_won
from .queries import ProjectRow

# name → (figure title, what one project counts under)
DIMENSIONS: dict[
    str, tuple[object, Callable[[ProjectRow], Iterable[tuple[str, str]]]]
] = {
    "programme": (
        gettext_lazy("Projects by programme"),
        lambda r: [(r.programme_slug, r.programme)],
    ),
    "region": (
        gettext_lazy("Projects by region"),
        lambda r: [
            (r.province_code or "~", r.province or _("Outside Korea or unknown"))
        ],
    ),
    "year": (
        gettext_lazy("Projects by cohort year"),
        lambda r: [(str(r.cohort_year), str(r.cohort_year))],
    ),
    "domain": (
        gettext_lazy("Projects by service domain"),
        lambda r: [(d, d) for d in r.domains] or [("~", _("No domain given"))],
    ),
}
SORTED_BY_KEY = {"year", "region"}


@dataclass
class FigureRow:
    key: str
    label: str
    projects: int = 0
    national: int = 0
    local: int = 0
    private: int = 0

    @property
    def total(self) -> int:
        return self.national + self.local + self.private


@dataclass
class Figure:
    name: str
    title: str
    rows: list[FigureRow]

    @property
    def total_projects(self) -> int:
        return sum(r.projects for r in self.rows)

    @property
    def total_budget(self) -> int:
        return sum(r.total for r in self.rows)


def build_figure(name: str, projects: list[ProjectRow]) -> Figure:
    title, groups_of = DIMENSIONS[name]
    rows: dict[str, FigureRow] = {}
    for project in projects:
        for key, label in groups_of(project):
            row = rows.setdefault(key, FigureRow(key=key, label=label))
            row.projects += 1
            row.national += project.budget_national or 0
            row.local += project.budget_local or 0
            row.private += project.budget_private or 0
    if name in SORTED_BY_KEY:
        ordered = sorted(rows.values(), key=lambda r: r.key)
    else:
        ordered = sorted(rows.values(), key=lambda r: (-r.projects, r.label))
    return Figure(name=name, title=str(title), rows=ordered)


def build_figures(projects: list[ProjectRow]) -> list[Figure]:
    return [build_figure(name, projects) for name in DIMENSIONS]


# Bar charts, drawn on the server as SVG.
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH, VALUE_WIDTH = 22, 8, 190, 640, 110


@dataclass
class Bar:
    label: str
    value_label: str
    y: int
    width: float
    text_y: int


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH
    bar_x: int = LABEL_WIDTH + 8


def bar_chart(
    chart_id: str,
    title: str,
    items: list[tuple[str, int]],
    value_label: Callable[[int], str],
) -> Chart:
    """Horizontal bars, the longest as wide as the space allows."""
    room = CHART_WIDTH - LABEL_WIDTH - 8 - VALUE_WIDTH
    largest = max((value for _label, value in items), default=0) or 1
    bars = []
    for position, (label, value) in enumerate(items):
        y = position * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            Bar(
                label=label,
                value_label=value_label(value),
                y=y,
                width=round(room * value / largest, 1),
                text_y=y + BAR_HEIGHT // 2 + 5,
            )
        )
    height = max(len(items), 1) * (BAR_HEIGHT + BAR_GAP)
    return Chart(id=chart_id, title=title, bars=bars, height=height)


def charts_for(figure: Figure, language: str) -> list[Chart]:
    """A chart of project counts and one of total budgets for a figure."""
    return [
        bar_chart(
            f"{figure.name}-count",
            _("%(figure)s: number of projects") % {"figure": figure.title},
            [(r.label, r.projects) for r in figure.rows],
            lambda n: f"{n:,}",
        ),
        bar_chart(
            f"{figure.name}-budget",
            _("%(figure)s: total budget") % {"figure": figure.title},
            [(r.label, r.total) for r in figure.rows],
            lambda won: format_won(won, language) or "0",
        ),
    ]


# Downloads.
def _header() -> list[str]:
    return [
        _("Group"),
        _("Projects"),
        _("National budget (won)"),
        _("Local budget (won)"),
        _("Private budget (won)"),
        _("Total budget (won)"),
    ]


def _table(figure: Figure) -> list[list]:
    return [
        [r.label, r.projects, r.national, r.local, r.private, r.total]
        for r in figure.rows
    ]


def figure_csv(figure: Figure) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet programs read Korean."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    writer.writerows(_table(figure))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def figure_xlsx(figure: Figure) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=figure.name)
    sheet.append([figure.title])
    sheet.append(_header())
    for row in _table(figure):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
