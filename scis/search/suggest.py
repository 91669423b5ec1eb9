"""Autocomplete: record titles and taxonomy names that complete the words a
reader has typed so far, in the reader's language."""

from django.db.models import Q

from scis.core.listing import TAXONOMY_FACETS

from .analyzer import analyzer, normalise
from .engines import engine

MAX_INPUT = 100
LIMIT = 8
ENGLISH_PREFIX = 6


def _taxonomy(prefix: str, language: str, limit: int) -> list[dict]:
    found = []
    for name, (_field, model, label) in TAXONOMY_FACETS.items():
        matches = model.objects.filter(
            Q(name_ko__istartswith=prefix) | Q(name_en__istartswith=prefix)
        ).order_by("name_" + language)[:limit]
        for term in matches:
            found.append(
                {
                    "label": getattr(term, "name_" + language) or term.name_ko,
                    "kind": str(label),
                    "filter": {name: term.slug},
                }
            )
    return found[:limit]


def autocomplete(text: str, language: str, limit: int = LIMIT) -> list[dict]:
    """Up to `limit` suggestions: taxonomy names first, then titles."""
    text = " ".join(normalise(text).split())[:MAX_INPUT]
    if len(text) < 1:
        return []
    found = _taxonomy(text, language, limit // 2)
    # The last term is unfinished: it is matched as a prefix. An English one
    # is cut short, so that "certifica" (not yet a word) reaches the stem
    # "certif" of "certification".
    terms = analyzer().terms(text)
    if terms:
        last = terms[-1]
        if last.isascii() and len(last) > ENGLISH_PREFIX:
            last = last[:ENGLISH_PREFIX]
        rows = engine().prefix_titles([*terms[:-1], last], language, limit)
        found += [{"label": title, "kind": "title", "id": pk} for pk, title in rows]
    return found[:limit]
