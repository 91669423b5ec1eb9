"""Duplicates: the same GUID or URL, and near-duplicates (the same press
release republished with small edits) by MinHash over word shingles, with
the signature's bands kept in the database (ItemBand).

CONTRACT:
- `canonical_url(url: str) -> str` (courlan): the form stored on Item.url
  and compared.
- `content_hash(text: str) -> str`: hex digest of the normalised text.
- `signature(text: str) -> bytes | None`: the MinHash signature (None for
  text too short to compare).
- `store_bands(item) -> None`: (re)write the item's ItemBand rows from
  item.minhash.
- `find_duplicate(item) -> tuple[Item | None, float]`: an earlier item
  (any source, any state but failed) whose text is the same or nearly so,
  with the estimated similarity (1.0 for the same content hash, the same
  canonical URL or the same GUID at another source); (None, 0.0) if none.
- `find_existing_record(url: str, guid: str) -> Page | None`: a record
  already in the archive with this original URL or source id.

Shingling: English text is cut into word 3-shingles (a changed sentence
touches only the shingles around it, and unrelated texts on one topic
share few word triples). Korean glues particles to words ("세종시는",
"세종시가"), so word shingles would make one edited particle look like a
new word; there the text, with spaces removed, is cut into character
4-shingles, about two syllable-pairs, which survive spacing and particle
changes. The language decides which (`language.detect_language`).

Banding: 128 hash values in 16 bands of 8 rows. Two texts with Jaccard
similarity s share at least one band with probability 1 - (1 - s^8)^16:
about 0.94 at s = 0.8 and 0.02 at s = 0.5, so candidates are few and the
estimate from both full signatures decides.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from courlan import normalize_url
from datasketch import MinHash
from django.db.models import Q

from .language import detect_language
from .models import Item, ItemBand

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
# Texts at least this similar (estimated Jaccard of shingle sets) are the
# same release: a changed date line and an edited sentence stay well above
# it, a different release on the same topic falls far below.
NEAR_DUPLICATE = 0.8
# Shorter normalised text says too little to compare.
MIN_SIGNATURE_CHARS = 40
_DTYPE = np.dtype("<u4")  # datasketch's affine32 scheme: 32-bit values
_WORD = re.compile(r"\w+")


def canonical_url(url: str) -> str:
    """The URL as stored and compared: lower-case scheme and host, default
    port and fragment dropped, tracking parameters (utm_*, fbclid, gclid,
    session ids) removed, the rest sorted. Identifying parameters such as
    nttId, seq or articleNo are kept: on board sites they are the page."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        normalised = normalize_url(url)
    except (ValueError, TypeError):
        return url
    return normalised.split("#", 1)[0]


def normalise_text(text: str) -> str:
    return " ".join((text or "").lower().split())


def content_hash(text: str) -> str:
    """SHA-256 of the text, lower-cased with whitespace collapsed ("" for
    empty text, which matches nothing)."""
    normalised = normalise_text(text)
    if not normalised:
        return ""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """Word 3-shingles for English, character 4-shingles for Korean (see
    the module docstring)."""
    normalised = normalise_text(text)
    if detect_language(normalised, default="en") == "ko":
        compact = "".join(ch for ch in normalised if ch.isalnum())
        return {compact[i : i + 4] for i in range(max(len(compact) - 3, 1))}
    words = _WORD.findall(normalised)
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def _long_enough(text: str) -> bool:
    return len("".join((text or "").split())) >= MIN_SIGNATURE_CHARS


def signature(text: str) -> bytes | None:
    """The MinHash signature of `text` as 128 little-endian uint32 values,
    or None when the text has fewer than 40 non-space characters."""
    if not _long_enough(text):
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    a = np.frombuffer(first, dtype=_DTYPE)
    b = np.frombuffer(second, dtype=_DTYPE)
    if a.shape != b.shape or not a.size:
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def band_hashes(minhash: bytes) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash of the band's values) for each band."""
    values = np.frombuffer(minhash, dtype=_DTYPE)
    if values.size != NUM_PERM:
        return []
    result = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        result.append((band, int.from_bytes(digest, "big", signed=True)))
    return result


def store_bands(item: Item) -> None:
    """Rewrite the item's ItemBand rows from item.minhash (none if the item
    has no signature)."""
    ItemBand.objects.filter(item=item).delete()
    if not item.minhash:
        return
    ItemBand.objects.bulk_create(
        ItemBand(item=item, band=band, hash=value)
        for band, value in band_hashes(bytes(item.minhash))
    )


def _earlier_items(item: Item):
    """Items this one may duplicate: others, not failed, seen before it."""
    others = Item.objects.exclude(state=Item.State.FAILED)
    if item.pk:
        others = others.exclude(pk=item.pk).filter(
            Q(first_seen_at__lt=item.first_seen_at)
            | Q(first_seen_at=item.first_seen_at, pk__lt=item.pk)
        )
    return others.order_by("first_seen_at", "pk")


def find_duplicate(item: Item) -> tuple[Item | None, float]:
    """The earliest item with the same content hash, canonical URL or GUID
    (at another source) — similarity 1.0 — else the most similar item
    sharing a signature band with estimated similarity ≥ 0.8."""
    candidates = _earlier_items(item)
    exact: list[Q] = []
    # Short texts ("첨부파일 참조") are shared by unrelated board posts.
    if item.content_hash and _long_enough(item.text):
        exact.append(Q(content_hash=item.content_hash))
    url = canonical_url(item.url)
    # An entry without its own page may carry the source's address.
    if url and not (item.source_id and url == canonical_url(item.source.url)):
        exact.append(Q(url=url))
    if item.guid:
        exact.append(Q(guid=item.guid) & ~Q(source_id=item.source_id))
    # One indexed query per kind of match: OR-ed together, the database may
    # walk every earlier item in first-seen order instead.
    same = {
        pk
        for condition in exact
        for pk in Item.objects.filter(condition).values_list("pk", flat=True)
    }
    same.discard(item.pk)
    if same:
        match = candidates.filter(pk__in=same).first()
        if match is not None:
            return match, 1.0

    if not item.minhash:
        return None, 0.0
    minhash = bytes(item.minhash)
    bands = {value: band for band, value in band_hashes(minhash)}
    if not bands:
        return None, 0.0
    ids = {
        item_id
        for item_id, band, value in ItemBand.objects.filter(
            hash__in=list(bands)
        ).values_list("item_id", "band", "hash")
        if bands.get(value) == band
    }
    if not ids:
        return None, 0.0
    best: tuple[Item | None, float] = (None, 0.0)
    for other in candidates.filter(pk__in=ids).exclude(minhash=None):
        score = similarity(minhash, bytes(other.minhash))
        # Candidates come earliest first: only a strictly better score wins.
        if score >= NEAR_DUPLICATE and score > best[1]:
            best = (other, score)
    return best


def find_existing_record(url: str, guid: str):
    """A record page (any record type, any language) whose original URL is
    `url` (raw or canonical) or whose source id is `guid`; None if none.
    Records imported from WordPress or typed by editors count too."""
    from wagtail.models import Page

    found = ExistingRecords([url], [guid]).find(url, guid)
    return Page.objects.filter(pk=found).first() if found else None


class ExistingRecords:
    """Which of a run's URLs and GUIDs already have a record: one query per
    record type for a whole batch, instead of one per type and item."""

    CHUNK = 400

    def __init__(self, urls: list[str], guids: list[str]):
        from scis.core.records import record_models

        self.by_url: dict[str, int] = {}
        self.by_guid: dict[str, int] = {}
        wanted_urls = sorted({form for url in urls for form in _url_forms(url)} - {""})
        wanted_guids = sorted({guid for guid in guids if guid})
        url_set, guid_set = set(wanted_urls), set(wanted_guids)
        for model in record_models():
            for start in range(0, max(len(wanted_urls), len(wanted_guids)), self.CHUNK):
                url_chunk = wanted_urls[start : start + self.CHUNK]
                guid_chunk = wanted_guids[start : start + self.CHUNK]
                condition = Q(original_url__in=url_chunk) | Q(source_id__in=guid_chunk)
                rows = (
                    model.objects.filter(condition)
                    .order_by("pk")
                    .values_list("pk", "original_url", "source_id")
                )
                for pk, original_url, source_id in rows:
                    if original_url in url_set:
                        self.by_url.setdefault(original_url, pk)
                    if source_id in guid_set:
                        self.by_guid.setdefault(source_id, pk)

    def find(self, url: str, guid: str) -> int | None:
        """The id of a record with this original URL (raw or canonical) or
        source id; None if none (the lowest id when several match)."""
        found = [self.by_url[form] for form in _url_forms(url) if form in self.by_url]
        if guid and guid in self.by_guid:
            found.append(self.by_guid[guid])
        return min(found) if found else None


def _url_forms(url: str) -> tuple[str, str]:
    url = (url or "").strip()
    return url, canonical_url(url)
