"""What a reader typed, turned into terms the index understands.

A query is a list of clauses that must all match. A clause is one or more
alternatives, each a sequence of index terms (a sequence longer than one is
a phrase): a word and its synonyms, or a quoted phrase. Operators of the
underlying engines (`*`, `NEAR`, `-`, parentheses) mean nothing here: every
term is passed to the engine as a quoted literal, so nothing a reader types
can change the shape of the engine's query.
"""

import re
from dataclasses import dataclass, field
from functools import cache

import yaml

from .analyzer import DATA_DIR, analyzer, normalise

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
# Straight and typographic double quotes delimit phrases.
_PHRASE = re.compile(r"[\"“”„«»「」『』](.+?)(?:[\"“”„«»「」『』]|$)")

Alternative = tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    alternatives: tuple[Alternative, ...]
    # The words the reader typed for this clause, for messages and spelling.
    source: str = ""
    phrase: bool = False


@dataclass
class Query:
    text: str
    clauses: list[Clause] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> set[str]:
        """Every index term that counts as a hit, for highlighting."""
        return {
            term
            for clause in self.clauses
            for alternative in clause.alternatives
            for term in alternative
        }

    def any_of(self) -> "Query":
        """The same words where any one clause may match (a looser query for
        when no record has them all)."""
        merged = tuple(alt for clause in self.clauses for alt in clause.alternatives)
        return Query(self.text, [Clause(merged, self.text)])

    def key(self) -> str:
        return repr([c.alternatives for c in self.clauses])


@cache
def synonym_groups() -> dict[Alternative, tuple[Alternative, ...]]:
    """Analyzed term sequence → every sequence of its synonym group."""
    path = DATA_DIR / "synonyms.yaml"
    groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    lookup: dict[Alternative, tuple[Alternative, ...]] = {}
    for number, group in enumerate(groups, 1):
        if not isinstance(group, list) or len(group) < 2:
            raise ValueError(f"{path}: entry {number} must list two or more terms")
        forms: list[Alternative] = []
        for entry in group:
            terms = tuple(analyzer().terms(str(entry)))
            if terms and terms not in forms:
                forms.append(terms)
        for form in forms:
            lookup[form] = tuple(dict.fromkeys(lookup.get(form, ()) + tuple(forms)))
    return lookup


@cache
def compounds() -> dict[str, tuple[Alternative, ...]]:
    """First term → the synonym table's phrases starting with it (스마트 도시,
    smart citi, 국가 시범 도시 …), longest first. Documents are indexed with
    each of these phrases also as one joined term, so matching one reads a
    single list of documents instead of checking word positions in every
    document that holds both words."""
    found: dict[str, list[Alternative]] = {}
    for form in synonym_groups():
        if len(form) > 1:
            found.setdefault(form[0], []).append(form)
    return {
        first: tuple(sorted(forms, key=len, reverse=True))
        for first, forms in found.items()
    }


def joined(phrase: Alternative) -> str:
    """The one index term standing for a phrase of `compounds()`."""
    return "".join(phrase)


def is_compound(alternative: Alternative) -> bool:
    return len(alternative) > 1 and alternative in compounds().get(alternative[0], ())


def with_compounds(terms: list[str]) -> list[str]:
    """`terms` followed by the joined term of every compound phrase among
    them. Appended, not interleaved, so phrases of the text's own words stay
    adjacent."""
    starts = compounds()
    extra = []
    for i, term in enumerate(terms):
        for form in starts.get(term, ()):
            if tuple(terms[i : i + len(form)]) == form:
                extra.append(joined(form))
    return terms + extra if extra else terms


@cache
def _longest_entry() -> int:
    return max((len(k) for k in synonym_groups()), default=0)


def _longest_synonym(terms: list[str], start: int) -> int:
    """Length of the longest synonym entry starting at terms[start], or 0."""
    groups = synonym_groups()
    for length in range(min(_longest_entry(), len(terms) - start), 0, -1):
        if tuple(terms[start : start + length]) in groups:
            return length
    return 0


def _word_clauses(text: str) -> list[Clause]:
    tokens = analyzer().tokens(text)
    terms = [t.term for t in tokens]
    normalised = normalise(text)
    clauses: list[Clause] = []
    i = 0
    while i < len(terms):
        length = _longest_synonym(terms, i)
        if length:
            key = tuple(terms[i : i + length])
            alternatives = synonym_groups()[key]
        else:
            length = 1
            alternatives = ((terms[i],),)
        source = normalised[tokens[i].start : tokens[i + length - 1].end]
        clauses.append(Clause(alternatives, source))
        i += length
    return clauses


def parse(raw: str) -> Query:
    """A Query from a reader's input; empty when nothing in it is searchable."""
    text = " ".join(raw.split())[:MAX_QUERY_LENGTH]
    clauses: list[Clause] = []
    rest = []
    position = 0
    for match in _PHRASE.finditer(text):
        rest.append(text[position : match.start()])
        position = match.end()
        terms = tuple(analyzer().terms(match.group(1)))
        if len(terms) > 1:
            clauses.append(Clause((terms,), match.group(1).lower(), phrase=True))
        elif terms:
            rest.append(" " + match.group(1) + " ")
    rest.append(text[position:])
    clauses = _word_clauses(" ".join(rest)) + clauses
    # The same clause twice adds nothing but cost.
    unique = list(dict.fromkeys(clauses))
    return Query(text, unique[:MAX_CLAUSES])
