"""Highlighted snippets: the passage of a record that best shows why it
matched, with the matching words marked.

Matching is decided by the analyzer, not by the letters: 도시를 and
스마트도시 are marked for a search for 도시, "cities" for "city". Only the
chosen passage is analyzed, so snippets stay cheap on long documents.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import analyzer

SNIPPET_LENGTH = 180
# Sentence ends in Korean and English prose, and line breaks.
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")


def _clues(terms: set[str]) -> list[str]:
    """Cheap substrings that suggest a term is present: Korean terms appear
    as written; English stems lose their last letter (citi ← city)."""
    clues = []
    for term in terms:
        if term.isascii():
            clues.append(term[:-1] if len(term) > 4 else term)
        else:
            clues.append(term)
    return clues


def _marked(text: str, tokens, terms: set[str]) -> SafeString:
    spans = sorted({(t.start, t.end) for t in tokens if t.term in terms})
    parts: list[str] = []
    position = 0
    for start, end in spans:
        if start < position:
            continue
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def highlight_many(texts: list[str], terms: set[str]) -> list[SafeString]:
    """Each text escaped, with every word that analyzes to one of `terms`
    marked; all texts are analyzed in one batch."""
    texts = [unicodedata.normalize("NFKC", text) for text in texts]
    analyzed = analyzer().tokens_many(texts, only=terms)
    return [
        _marked(text, tokens, terms)
        for text, tokens in zip(texts, analyzed, strict=True)
    ]


def _window(sentence: str, clue_at: int) -> str:
    if len(sentence) <= SNIPPET_LENGTH:
        return sentence
    start = max(0, min(clue_at - SNIPPET_LENGTH // 3, len(sentence) - SNIPPET_LENGTH))
    # Start and end on word boundaries.
    if start:
        space = sentence.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = start + SNIPPET_LENGTH
    space = sentence.rfind(" ", start, end)
    end = space if space > end - 20 else end
    return ("…" if start else "") + sentence[start:end] + "…"


def passage(text: str, terms: set[str]) -> str:
    """The sentence of `text` that holds most of `terms`, cut to length."""
    if not text:
        return ""
    clues = _clues(terms)
    best, best_hits, best_at = "", 0, 0
    for sentence in _SENTENCE.split(text):
        lowered = sentence.lower()
        positions = [lowered.find(c) for c in clues if c in lowered]
        if len(positions) > best_hits:
            best, best_hits, best_at = sentence, len(positions), min(positions)
            if best_hits == len(clues):
                break
    if not best:
        best = text.strip().split("\n", 1)[0]
    return _window(best.strip(), best_at)
