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
"""
