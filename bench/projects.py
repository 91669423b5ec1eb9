"""Synthetic projects: what a smart city project of a programme looks like —
its cohort, stage, city, organisations, money, dates and site — decided
once for both language versions of the page."""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from scis.projects.models import Stage
from scis.taxonomy.models import Organisation, Programme, Region

from .phrases import OUTCOMES
from .spread import Terms, jitter

# Projects: cohorts (selection years), how many a programme has relative to
# the others (1 when not named), and what is left unknown.
COHORT_YEARS = range(2019, 2027)
PROGRAMME_WEIGHTS = {
    "city-challenge": 6,
    "town-challenge": 5,
    "solution-expansion": 4,
    "integrated-platform": 4,
    "campus-challenge": 3,
    "small-strong-smart-city": 3,
    "regulatory-sandbox": 3,
    "hub-type-smart-city": 2,
    "data-hub": 2,
    "autonomous-driving-service": 2,
    "k-city-network": 2,
    "smart-city-certification": 2,
    "comprehensive-plan": 0.5,
}
UNLOCATED_SHARE = 0.03  # no latitude/longitude (nor area)
AREA_SHARE = 0.02  # also a district polygon around the site
PARTNER_KINDS = ("agency", "company", "spc", "university", "institute")


@dataclass
class ProjectFacts:
    """A project's own fields, decided once for both language versions."""

    parent: str  # slot key of its programme page
    fields: dict
    place: tuple[str, str]  # its city, (Korean, English), for the title
    outcomes: list[tuple]  # (indicator, unit, baseline, value) per OUTCOMES row
    measured_on: dt.date | None


def selection_day(rng: random.Random, today: dt.date) -> dt.date:
    """A project's selection day: a cohort year, then a day in it (no later
    than today unless the whole year lies ahead)."""
    year = rng.choice(COHORT_YEARS)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if first <= today < last:
        last = today
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class ProjectMaker:
    """Draws projects from the taxonomy: the municipalities (a few busy
    ones), their local governments, partner organisations, programmes."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.region_coords = {
            pk: (lat, lon)
            for pk, lat, lon in Region.objects.values_list(
                "pk", "latitude", "longitude"
            )
        }
        municipalities = Region.objects.filter(level=Region.Level.MUNICIPALITY)
        self.cities = Terms.load(municipalities, self.rng)
        self.region_parent = dict(Region.objects.values_list("pk", "parent_id"))
        self.region_names = {
            pk: (ko, en)
            for pk, ko, en in Region.objects.values_list("pk", "name_ko", "name_en")
        }
        self.local_governments: dict[int, int] = {}
        for pk, region in (
            Organisation.objects.filter(kind="local-government", region__isnull=False)
            .order_by("pk")
            .values_list("pk", "region_id")
        ):
            self.local_governments.setdefault(region, pk)
        self.partners = list(
            Organisation.objects.filter(kind__in=PARTNER_KINDS)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.programmes = list(Programme.objects.order_by("start_year", "pk"))

    def facts(self, day: dt.date, terms: dict[str, list[int]]) -> ProjectFacts:
        """A project selected on `day`: its programme, city, organisations,
        stage, money, dates and site. Rewrites `terms` to match: programme,
        province and city, lead organisation, partners (topics stay as drawn)."""
        rng = self.rng
        year = day.year
        programme = self.programme_for(year)
        city = self.cities.pick_one(rng)
        province = self.region_parent[city]
        lead = self.local_governments.get(city) or self.local_governments.get(
            province, rng.choice(self.partners)
        )
        partners = rng.sample(self.partners, min(rng.randint(0, 3), len(self.partners)))
        terms["programmes"] = [programme.pk]
        terms["regions"] = [province, city] if province else [city]
        terms["organisations"] = [lead]
        terms["partners"] = [p for p in partners if p != lead]

        age = self.today.year - year
        stage = rng.choices(Stage.values, weights=stage_weights(age))[0]
        start = day + dt.timedelta(days=rng.randint(30, 180))
        end = start + dt.timedelta(days=rng.randint(300, 4 * 365))
        fields: dict = {
            "programme_id": programme.pk,
            "cohort_year": year,
            "stage": stage,
            "city_id": city,
            "lead_organisation_id": lead,
            "start_date": start,
            "end_date": end,
            **budgets(rng, stage),
        }
        if rng.random() >= UNLOCATED_SHARE:
            lat, lon = self.region_coords[city]
            fields["latitude"] = jitter(lat, rng)
            fields["longitude"] = jitter(lon, rng)
            if rng.random() < AREA_SHARE / (1 - UNLOCATED_SHARE):
                fields["area"] = district(fields["latitude"], fields["longitude"], rng)
        outcomes = []
        if stage != Stage.PRELIMINARY:
            for indicator, unit, (low, high) in rng.sample(OUTCOMES, rng.randint(1, 3)):
                baseline = rng.randint(low, high)
                value = max(0, round(baseline * rng.uniform(0.3, 1.6)))
                outcomes.append((indicator, unit, Decimal(baseline), Decimal(value)))
        measured = end if stage == Stage.COMPLETED and end <= self.today else None
        return ProjectFacts(
            parent=f"programme:{programme.pk}",
            fields=fields,
            place=self.region_names[city],
            outcomes=outcomes,
            measured_on=measured,
        )

    def programme_for(self, year: int) -> Programme:
        """A programme running in `year`, the busy ones more often."""
        running = [
            p
            for p in self.programmes
            if (p.start_year or 0) <= year
            and (p.end_year is None or year <= p.end_year)
        ] or self.programmes
        weights = [PROGRAMME_WEIGHTS.get(p.slug, 1) for p in running]
        return self.rng.choices(running, weights=weights)[0]


def stage_weights(age: int) -> tuple[float, float, float]:
    """(preliminary, main, completed) odds for a cohort `age` years old:
    this year's cohort is mostly preliminary, older ones mostly completed."""
    if age <= 0:
        return (0.7, 0.3, 0.0)
    if age == 1:
        return (0.45, 0.45, 0.1)
    if age == 2:
        return (0.2, 0.5, 0.3)
    return (0.05, 0.3, 0.65)


def _won(rng: random.Random, low_eok: float, high_eok: float) -> int:
    """An amount between two sums in 억 원, rounded to a million won."""
    return round(rng.uniform(low_eok, high_eok) * 100) * 10**6


def budgets(rng: random.Random, stage: str) -> dict[str, int | None]:
    """National, local and private money in won; some left unknown."""
    national = _won(rng, 5, 30) if stage == Stage.PRELIMINARY else _won(rng, 30, 150)
    share = national / 10**8
    return {
        "budget_national": national if rng.random() >= 0.05 else None,
        "budget_local": (
            _won(rng, share * 0.3, share) if rng.random() >= 0.10 else None
        ),
        "budget_private": (
            _won(rng, share * 0.05, share * 0.5) if rng.random() < 0.4 else None
        ),
    }


def district(lat: Decimal, lon: Decimal, rng: random.Random) -> dict:
    """A small rectangle around a site, as a GeoJSON Polygon."""
    half_lat, half_lon = rng.uniform(0.003, 0.02), rng.uniform(0.003, 0.02)
    south, north = float(lat) - half_lat, float(lat) + half_lat
    west, east = float(lon) - half_lon, float(lon) + half_lon
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]],
    }
