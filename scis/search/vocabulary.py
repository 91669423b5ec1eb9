"""The words of the archive, for "did you mean" suggestions.

Suggestions should be words readers know ("certification", 국가시범도시), not
index stems ("certif"), so the vocabulary keeps whole words from titles and
summaries with the number of documents that use them. A full rebuild counts
them exactly; publishing one record adds its new words.
"""

from collections import Counter
from functools import lru_cache
from unicodedata import normalize

from django.db import transaction

from .models import SearchTerm

MAX_WORD_LENGTH = 100
# How close a suggestion must be (0–100, on letters and Hangul jamo).
MIN_SIMILARITY = 75


def usable(words: set[str]) -> set[str]:
    """The words worth keeping as suggestions (not absurdly long ones)."""
    return {w for w in words if len(w) <= MAX_WORD_LENGTH}


def add(counts: Counter) -> None:
    """Record words of newly indexed documents; known words keep their count."""
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(language=language, term=word, documents=n)
            for (language, word), n in counts.items()
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def replace(counts: Counter) -> None:
    """Replace the whole vocabulary with exact counts."""
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(language=language, term=word, documents=n)
            for (language, word), n in counts.items()
        ],
        batch_size=5000,
    )


def _jamo(word: str) -> str:
    """Hangul syllables split into letters, so 교퉁 is one letter from 교통."""
    return normalize("NFD", word)


@lru_cache(maxsize=4)
def _choices(language: str, version: int) -> tuple[list[str], list[str], frozenset]:
    """Known words, most used first, with their jamo spellings."""
    words = list(
        SearchTerm.objects.filter(language=language)
        .order_by("-documents", "term")
        .values_list("term", flat=True)
    )
    return words, [_jamo(w) for w in words], frozenset(words)


def closest(word: str, language: str) -> str | None:
    """The known word most like `word`, or None when none is close enough."""
    from rapidfuzz import fuzz, process

    from scis.core.catalogue import version

    words, letters, known = _choices(language, version())
    if not words or word in known:
        return None
    match = process.extractOne(
        _jamo(word), letters, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY
    )
    if match is None:
        return None
    return words[match[2]]
