"""Korean and English placeholder prose for synthetic records, built offline
from paired templates so a record's two language versions say the same thing
sentence by sentence.

Each record has a focus (a main subject, perhaps a second one, a place and an
organisation) that most of its sentences are about, and the main subject is
drawn with Zipf-like weights: as in a real archive, a subject term turns up in
a minority of records while words like 도시 or 사업 are everywhere. Sentences
are rendered per record, so records rarely share one beyond the boilerplate
lines press releases repeat; a shared pool would let the search indexer,
which analyzes each distinct sentence once, look faster than it is.
"""

import random
from dataclasses import dataclass

from .phrases import (
    ACTIONS,
    AFFILIATIONS,
    BOILERPLATE,
    DOCUMENT_TEMPLATES,
    EVENT_TEMPLATES,
    GIVEN_NAMES,
    MONTHS,
    NUMBER_RANGES,
    ORGS,
    PLACES,
    PROJECT_TEMPLATES,
    ROLES,
    SENTENCES,
    STUDY_TEMPLATES,
    SUBJECTS,
    SURNAMES,
    VENUES,
    Korean,
    Template,
)


@dataclass(frozen=True)
class Focus:
    """What one record is about: most of its sentences name these."""

    subject: int  # index into SUBJECTS
    subject2: int | None
    place: tuple[str, str]
    org: int  # index into ORGS
    person: tuple[str, str]
    role: tuple[str, str]
    year: int


@dataclass
class Texts:
    """One record's prose in both languages."""

    title: tuple[str, str]
    summary: tuple[str, str]
    body: tuple[str, str]
    focus: Focus | None = None


def _korean(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(Korean(ko), en) for ko, en in pairs]


def _cumulative(weights: list[float]) -> list[float]:
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


_SUBJECTS, _PLACES, _ORGS, _ROLES = map(_korean, (SUBJECTS, PLACES, ORGS, ROLES))
# Zipf-like: the first subject is about as common as the next two together,
# the last turns up in a record or two per hundred.
_SUBJECT_WEIGHTS = _cumulative([1 / rank for rank in range(1, len(SUBJECTS) + 1)])
_PLACE_WEIGHTS = _cumulative([rank**-0.6 for rank in range(1, len(PLACES) + 1)])
_ORG_WEIGHTS = _cumulative([rank**-0.8 for rank in range(1, len(ORGS) + 1)])
_VENUES = [venue for venue in VENUES if venue[1] != "Online"]
# The share of subject slots that name the record's main subject, and of the
# rest that name its second one; what remains names any subject, as articles
# mention neighbouring work. Places and organisations stay on focus as often.
ON_FOCUS = 0.9
ON_SECOND = 0.65
_FOCUSED = {"subject", "subject2", "place", "org"}


class ProseGenerator:
    """Seeded source of titles, summaries and bodies in Korean and English."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    # The record's focus and the values its sentences name -----------------

    def _subject(self, other_than: int | None = None) -> int:
        while True:
            index = self.rng.choices(
                range(len(SUBJECTS)), cum_weights=_SUBJECT_WEIGHTS
            )[0]
            if index != other_than:
                return index

    def focus(self, place: tuple[str, str] | None = None) -> Focus:
        """A record's subject(s), place, organisation and spokesperson."""
        rng = self.rng
        subject = self._subject()
        subject2 = self._subject(other_than=subject) if rng.random() < 0.5 else None
        if place is None:
            place = rng.choices(_PLACES, cum_weights=_PLACE_WEIGHTS)[0]
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        return Focus(
            subject=subject,
            subject2=subject2,
            place=(Korean(place[0]), place[1]),
            org=rng.choices(range(len(ORGS)), cum_weights=_ORG_WEIGHTS)[0],
            person=(surname[0] + given[0], f"{surname[1]} {given[1]}"),
            role=rng.choice(_ROLES),
            year=rng.randint(2018, 2028),
        )

    def _value(self, slot: str, focus: Focus, exact: bool) -> tuple[str, str]:
        rng = self.rng
        if slot in _FOCUSED:
            own = exact or rng.random() < ON_FOCUS
            if slot == "subject":
                if own:
                    return _SUBJECTS[focus.subject]
                if focus.subject2 is not None and rng.random() < ON_SECOND:
                    return _SUBJECTS[focus.subject2]
                return rng.choice(_SUBJECTS)
            if slot == "subject2":
                if focus.subject2 is not None and own:
                    return _SUBJECTS[focus.subject2]
                return _SUBJECTS[self._subject(other_than=focus.subject)]
            if slot == "place":
                return focus.place if own else self._place()
            return _ORGS[focus.org if own else rng.randrange(len(ORGS))]
        if slot == "place2":
            return self._place()
        if slot == "org2":
            return _ORGS[(focus.org + rng.randrange(1, len(ORGS))) % len(ORGS)]
        if slot == "person":
            return focus.person
        if slot == "role":
            return focus.role
        if slot == "year":
            year = str(focus.year + (0 if exact else rng.randint(0, 3)))
            return year, year
        if slot == "month":
            return rng.choice(MONTHS)
        if slot == "venue":
            return rng.choice(_VENUES)
        if slot == "budget":  # 억 원, a hundred million won
            n = rng.randint(3, 900)
            return str(n), f"{n * 100} million" if n < 10 else f"{n / 10:g} billion"
        if slot == "pop":  # 만 명, ten thousand people
            n = rng.randint(5, 100)
            return str(n), f"{n * 10_000:,}"
        if slot == "ratio":
            ratio = f"{rng.uniform(1.1, 3.9):.1f}"
            return ratio, ratio
        low, high = NUMBER_RANGES[slot]
        number = f"{rng.randint(low, high):,}"
        return number, number

    def _place(self) -> tuple[str, str]:
        return self.rng.choices(_PLACES, cum_weights=_PLACE_WEIGHTS)[0]

    def _render(
        self, template: Template, focus: Focus, exact: bool = False
    ) -> tuple[str, str]:
        """`exact` keeps every slot on the focus, as titles need."""
        values = {slot: self._value(slot, focus, exact) for slot in template.slots}
        en = template.en.format_map({slot: v[1] for slot, v in values.items()})
        # Capitalise the first letter, inside a leading quotation mark too.
        at = 1 if en[:1] == '"' else 0
        return (
            template.ko.format_map({slot: v[0] for slot, v in values.items()}),
            en[:at] + en[at : at + 1].upper() + en[at + 1 :],
        )

    def _sentences(self, focus: Focus, count: int) -> list[tuple[str, str]]:
        """`count` sentences, no template repeated until all have been used."""
        rng = self.rng
        templates = rng.sample(SENTENCES, min(count, len(SENTENCES)))
        templates += rng.choices(SENTENCES, k=count - len(templates))
        return [self._render(t, focus) for t in templates]

    # Public API -------------------------------------------------------------

    def title(self, kind: str, place: tuple[str, str] | None = None) -> tuple[str, str]:
        return self._title(kind, self.focus(place))

    def _title(self, kind: str, focus: Focus) -> tuple[str, str]:
        if kind == "news":
            subject, action = _SUBJECTS[focus.subject], self.rng.choice(ACTIONS)
            return (
                f"{focus.place[0]}, {subject[0]} {action[0]}",
                f"{focus.place[1]}: {subject[1]} {action[1]}",
            )
        templates = {
            "literature": STUDY_TEMPLATES,
            "document": DOCUMENT_TEMPLATES,
            "event": EVENT_TEMPLATES,
            "project": PROJECT_TEMPLATES,
        }[kind]
        return self._render(self.rng.choice(templates), focus, exact=True)

    def record(self, kind: str, place: tuple[str, str] | None = None) -> Texts:
        """Title, summary (2–3 sentences) and body (3–8 paragraphs) about one
        focus; `place` names a project's city. News ends with a press
        release's boilerplate about half the time."""
        rng = self.rng
        focus = self.focus(place)
        summary = self._sentences(focus, rng.randint(2, 3))
        sizes = [rng.randint(3, 6) for _ in range(rng.randint(3, 8))]
        sentences = iter(self._sentences(focus, sum(sizes)))
        paragraphs = [[next(sentences) for _ in range(size)] for size in sizes]
        if kind == "news" and rng.random() < 0.5:
            paragraphs.append([self._render(rng.choice(BOILERPLATE), focus, True)])

        def html(lang: int) -> str:
            return "".join(
                "<p>" + " ".join(s[lang] for s in paragraph) + "</p>"
                for paragraph in paragraphs
            )

        return Texts(
            title=self._title(kind, focus),
            summary=(" ".join(s[0] for s in summary), " ".join(s[1] for s in summary)),
            body=(html(0), html(1)),
            focus=focus,
        )

    def extracted_text(self, focus: Focus | None = None) -> tuple[str, str]:
        """Plain text standing in for what a PDF's pages would yield (~2–6 KB),
        about `focus` (a record's, to match its page) or a focus of its own."""
        sentences = self._sentences(focus or self.focus(), self.rng.randint(25, 60))
        return " ".join(s[0] for s in sentences), " ".join(s[1] for s in sentences)

    def person(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """A (name, affiliation) pair, each as (Korean, English)."""
        surname, given = self.rng.choice(SURNAMES), self.rng.choice(GIVEN_NAMES)
        name = (surname[0] + given[0], f"{surname[1]} {given[1]}")
        return name, self.rng.choice(AFFILIATIONS)
