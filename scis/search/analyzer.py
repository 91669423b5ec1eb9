"""The one text analyzer behind the search index and every query.

Korean attaches particles and endings to words (도시를, 도시의, 스마트도시를), so
Hangul text goes through Kiwi, a morphological analyzer, and only its content
morphemes are kept: nouns, verb and adjective stems, roots, foreign words,
numbers. Latin text never goes to Kiwi (it splits English badly): it is
lower-cased and Porter-stemmed instead. Domain compounds from
`data/userdict.tsv` are recognised whole and indexed as their parts, so 도시
finds 국가시범도시 and the phrase 국가 시범 도시 finds it too.

Kiwi reads each word (eojeol) on its own, as it reads a one-word query, so a
word analyses the same in a document and in a search for it; read alone,
words also recur, and each distinct word is read once per process.

Kiwi needs about 0.3–0.5 GB of memory and a second to load, so one instance
is built per process, on first use, and shared by every request and thread.
"""

import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"

# Kiwi tags whose morphemes carry meaning: general and proper nouns, numerals,
# verb and adjective stems (with their irregular variants), roots, foreign
# words, Chinese characters and numbers.
CONTENT_TAGS = ("NNG", "NNP", "VV", "VA", "XR", "SL", "SH", "SN")

STEM_CACHE_SIZE = 200_000
KIWI_CUTOFF = 6.0
# Batches larger than this use Kiwi's thread pool (see Analyzer._analyse).
POOL_THRESHOLD = 200
# Words read by Kiwi are remembered: most words of a new text have been
# read before (about 75% in the demo archive, more as the archive grows).
# Each costs at most about 0.7 kB; a full memory starts over.
WORD_CACHE_SIZE = 100_000
# Hangul syllables and jamo, and CJK ideographs: text Kiwi should read.
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\u4e00-\u9fff"
_SEGMENT = re.compile(
    rf"(?P<latin>[a-z0-9]*[a-z][a-z0-9]*)|(?P<number>[0-9]+)|(?P<hangul>[{_HANGUL}])"
)
# A word of a Hangul run: what Kiwi reads on its own. Read alone, a word
# gets the same analysis in a document and in a query.
_WORD = re.compile(r"\w+")
_ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")
# Runs of Hangul separated only by spaces or punctuation; a Latin letter or
# the end of a sentence ends the run. A run recurs whole more often than its
# text does (titles, summaries), and is split into words for Kiwi.
_HANGUL_RUN = re.compile(rf"[{_HANGUL}](?:[^a-z.!?。\n]*[{_HANGUL}])?")


class Token(NamedTuple):
    """One index term and where its surface form lies in the analyzed text."""

    term: str
    start: int
    end: int


class Analysis(NamedTuple):
    """What indexing needs of one text: its terms in order, and its words as
    readers write them (nouns, English words) for spelling suggestions."""

    terms: list[str]
    words: set[str]


# A word's terms with their spans in it, and its nouns.
_Word = tuple[tuple[tuple[str, int, int], ...], frozenset[str]]
# A run's terms with their spans in it, and its nouns.
_Read = tuple[list[tuple[str, int, int]], set[str]]


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII (NFKC), lower case, and no NUL
    (no database can match one; PostgreSQL refuses it outright)."""
    return unicodedata.normalize("NFKC", text).lower().replace("\x00", " ")


@cache
def _stopwords() -> frozenset[str]:
    path = DATA_DIR / "stopwords_en.txt"
    return frozenset(
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def user_dictionary() -> dict[str, tuple[str, tuple[str, ...]]]:
    """word → (Kiwi tag, index parts) from data/userdict.tsv."""
    entries: dict[str, tuple[str, tuple[str, ...]]] = {}
    path = DATA_DIR / "userdict.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(
                f"{path}:{number}: expected 'word<TAB>tag[<TAB>parts]', got {line!r}"
            )
        word, tag = fields[0].strip(), fields[1].strip()
        parts = tuple(fields[2].split()) if len(fields) > 2 else ()
        entries[normalise(word)] = (tag, parts)
    return entries


class Analyzer:
    """Turns text into index terms. Thread-safe; build it with `analyzer()`."""

    def __init__(self) -> None:
        import Stemmer
        from kiwipiepy import Kiwi

        # The typo and multi-word dictionaries cost about 180 MB per process
        # and change little for edited, published text.
        # num_workers=-1: batches are analyzed on every core.
        self._kiwi = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)
        # A narrower beam than Kiwi's default (8) reads text about 15% faster
        # and gave the same content morphemes for every run of the demo
        # archive.
        self._kiwi.global_config.cutoff_threshold = KIWI_CUTOFF
        for word, (tag, _parts) in user_dictionary().items():
            self._kiwi.add_user_word(word, tag, 0)
        self._splits = {w: parts for w, (_tag, parts) in user_dictionary().items()}
        self._stemmer = Stemmer.Stemmer("porter")
        # PyStemmer objects are not safe to share between threads.
        self._stem_lock = threading.Lock()
        self._stems: dict[str, str] = {}
        self._stopwords = _stopwords()
        self._words: dict[str, _Word] = {}
        # Kiwi's thread pool does not survive fork(): a forked web or index
        # worker reads every run in its own thread.
        self._pool_usable = True
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._pool_usable = False
        self._stem_lock = threading.Lock()

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            with self._stem_lock:
                stem = self._stemmer.stemWord(word)
            if len(self._stems) < STEM_CACHE_SIZE:
                self._stems[word] = stem
        return stem

    def _segment(self, text: str) -> tuple[list[Token], list[tuple[int, str]]]:
        """Latin words and numbers as tokens, with empty placeholders where a
        Hangul run (listed with its offset) is to be analyzed by Kiwi."""
        found: list[Token] = []
        runs: list[tuple[int, str]] = []
        position = 0
        stopwords = self._stopwords
        for match in _SEGMENT.finditer(text):
            start = match.start()
            if start < position:
                continue
            kind = match.lastgroup
            if kind == "number":
                position = match.end()
                found.append(Token(match.group(), start, position))
            elif kind == "latin":
                word = match.group()
                position = match.end()
                if len(word) > 1 and word not in stopwords:
                    found.append(Token(self.stem(word), start, position))
            else:
                run = _HANGUL_RUN.match(text, start)
                if run is None:  # cannot happen: the match starts with Hangul
                    continue
                position = run.end()
                runs.append((start, run.group()))
                found.append(Token("", start, position))
        return found, runs

    def _read(self, texts: list[str], only: tuple[str, ...] | None = None):
        """Each text normalised and segmented, and the analysis of every
        distinct Hangul run among them, its new words read in one batch
        (several times faster than one call per text). `only`: see
        `tokens_many`."""
        normalised = [normalise(text) for text in texts]
        segmented = [self._segment(text) for text in normalised]
        # Titles and summaries recur (a record's own document and its
        # translation's), as do whole texts of untranslated records: read
        # each distinct run once.
        distinct = list(
            dict.fromkeys(run for _found, runs in segmented for _offset, run in runs)
        )
        words = self._words_of(distinct, only)
        return normalised, segmented, {run: _run(run, words) for run in distinct}

    def _words_of(
        self, runs: list[str], only: tuple[str, ...] | None = None
    ) -> dict[str, _Word]:
        """The analysis of every word of `runs`: remembered, or read by Kiwi
        in one batch."""
        known = self._words
        found: dict[str, _Word] = {}
        new: list[str] = []
        for word in dict.fromkeys(w for run in runs for w in _WORD.findall(run)):
            seen = known.get(word)
            if seen is not None:
                found[word] = seen
            elif only is not None and not any(part in word for part in only):
                found[word] = _NOTHING
            else:
                new.append(word)
        if new:
            if len(known) + len(new) > WORD_CACHE_SIZE:
                known.clear()
            for word, morphemes in zip(new, self._analyse(new), strict=True):
                found[word] = known[word] = (
                    tuple(self._content(morphemes, word)),
                    frozenset(_nouns(morphemes)),
                )
        return found

    def tokens_many(
        self, texts: list[str], only: set[str] | None = None
    ) -> list[list[Token]]:
        """Index terms of each text, with spans in normalise(text).

        `only`: the terms wanted (to mark a query's words in its results).
        Kiwi then reads only the Hangul words that hold one of them as
        written, as a noun or number is, and the others give no terms:
        a fresh process marking twenty results reads a few words instead of
        hundreds (Kiwi takes about 0.1 ms a word)."""
        hangul = None
        if only is not None:
            hangul = tuple(t for t in only if not t.isascii() or t.isdigit())
        _normalised, segmented, runs = self._read(texts, hangul)
        results = []
        for found, placed in segmented:
            offsets = iter(placed)
            result: list[Token] = []
            for token in found:
                if token.term:
                    result.append(token)
                else:
                    offset, run = next(offsets)
                    result.extend(
                        Token(term, offset + start, offset + end)
                        for term, start, end in runs[run][0]
                    )
            results.append(result)
        return results

    def analyse_many(self, texts: list[str]) -> list[Analysis]:
        """Terms and vocabulary words of each text, for indexing: the same
        terms as `tokens_many`, without their spans, and one Kiwi pass for
        both."""
        normalised, segmented, runs = self._read(texts)
        run_terms = {
            run: [term for term, _start, _end in terms]
            for run, (terms, _nouns) in runs.items()
        }
        results = []
        for text, (found, _placed) in zip(normalised, segmented, strict=True):
            terms: list[str] = []
            words = {w for w in _ENGLISH_WORD.findall(text) if w not in self._stopwords}
            for token in found:
                if token.term:
                    terms.append(token.term)
                else:
                    run = text[token.start : token.end]
                    terms.extend(run_terms[run])
                    words |= runs[run][1]
            results.append(Analysis(terms, words))
        return results

    def _analyse(self, words: list[str]) -> list:
        """Kiwi's morphemes of each word. Large batches go to Kiwi's thread
        pool; small ones (queries, snippets, one record) are read in the
        calling thread, which is as fast for them and the only way in a
        process forked from one that loaded Kiwi."""
        if self._pool_usable and len(words) > POOL_THRESHOLD:
            return list(self._kiwi.tokenize(words))
        return [self._kiwi.tokenize(word) for word in words]

    def tokens(self, text: str) -> list[Token]:
        """Index terms of `text` in order, with their spans in normalise(text)."""
        return self.tokens_many([text])[0]

    def _content(self, morphemes, run: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) of the content morphemes of a run, with spans
        in the run."""
        for morph in morphemes:
            if not morph.tag.startswith(CONTENT_TAGS):
                continue
            start = morph.start
            end = start + morph.len
            form = morph.form
            if morph.tag == "SL":
                # Latin letters inside a Hangul run (rare: split by the run
                # pattern) still get the Latin treatment.
                form = self.stem(form.lower())
            parts = self._splits.get(form)
            if parts:
                surface = run[start:end]
                for part in parts:
                    # Highlight 도시 inside 스마트도시 where the part is visible.
                    at = surface.find(part)
                    if at >= 0:
                        yield part, start + at, start + at + len(part)
                    else:
                        yield part, start, end
            else:
                yield form, start, end

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`, in order."""
        return self.analyse_many([text])[0].terms


# A word with no terms wanted (tokens_many's `only`), not read by Kiwi.
_NOTHING: _Word = ((), frozenset())


def _run(run: str, words: dict[str, _Word]) -> _Read:
    """Terms (with spans in the run) and nouns of a run, word by word."""
    terms: list[tuple[str, int, int]] = []
    nouns: set[str] = set()
    for match in _WORD.finditer(run):
        word_terms, word_nouns = words[match.group()]
        offset = match.start()
        terms.extend((t, offset + s, offset + e) for t, s, e in word_terms)
        nouns |= word_nouns
    return terms, nouns


def _nouns(morphemes) -> Iterator[str]:
    for morph in morphemes:
        if morph.tag in ("NNG", "NNP") and len(morph.form) > 1:
            yield morph.form


_lock = threading.Lock()
_instance: Analyzer | None = None


def analyzer() -> Analyzer:
    """The process-wide analyzer, loaded on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Analyzer()
    return _instance


def analyze(text: str) -> list[str]:
    return analyzer().terms(text)
