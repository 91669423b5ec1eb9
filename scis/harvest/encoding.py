"""Decode fetched bytes to text: UTF-8, EUC-KR and CP949 are common on
Korean public sites, and mojibake is never stored.

CONTRACT: `decode(content, charset="", content_type="") -> str`, raising
`EncodingError` when the bytes cannot be read as text in any plausible
encoding.

The order of evidence: a byte-order mark; the HTTP charset; for HTML a
`<meta charset>` or http-equiv in the first 2 KB; an XML declaration; then
UTF-8 and charset-normalizer's detection. A declared charset that does not
decode cleanly is not believed (Korean sites often declare UTF-8 and serve
EUC-KR, or the other way round). EUC-KR and its aliases are read as CP949,
its superset: real "EUC-KR" sites use the extra syllables CP949 adds.
"""

import codecs
import re

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _


class EncodingError(ValueError):
    """The bytes are not text in any encoding we could detect."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_KOREAN_ALIASES = {
    "euc-kr",
    "euc_kr",
    "euckr",
    "ks_c_5601-1987",
    "ks_c_5601",
    "ksc5601",
    "korean",
    "x-windows-949",
    "windows-949",
    "ms949",
    "uhc",
    "cp949",
}
# What detection may choose from: the portal reads Korean and English
# sites, and letting it pick any codec turns short Latin-1 text into
# UTF-16 or Chinese.
_DETECTABLE = ["utf_8", "cp949", "johab", "iso2022_kr", "cp1252", "latin_1"]
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.IGNORECASE
)
# UTF-8 Hangul read as Latin-1/Windows-1252: a lead byte EA–ED shown as
# ê/ë/ì/í followed by continuation bytes (80–BF) shown as symbols or
# Latin-1 punctuation, e.g. "ìŠ¤ë§ˆíŠ¸" for "스마트".
_UTF8_AS_LATIN1 = re.compile(
    "[\u00ea-\u00ed][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]{2}"
)
# EUC-KR read as Latin-1: long runs of accented letters and symbols with no
# space, e.g. "½º¸¶Æ®µµ½Ã" for "스마트도시" (two bytes per syllable). No
# real European word has four of these in a row.
_EUCKR_AS_LATIN1 = re.compile("[\u00a1-\u00fe]{4,}")


def decode(content: bytes, charset: str = "", content_type: str = "") -> str:
    """Return `content` as text, or raise `EncodingError`.

    `charset` is the HTTP charset (may be empty); `content_type` tells HTML
    and XML apart (when empty, the first bytes are looked at).
    """
    if not content:
        return ""
    for bom, name in _BOMS:
        if content.startswith(bom):
            text = _try(content, name)
            if text is not None:
                return text.lstrip("\ufeff")

    head = content[:2048]
    declared = [charset] if charset else []
    looks_xml = "xml" in content_type.lower() or head.lstrip().startswith(b"<?xml")
    if "html" in content_type.lower() or not content_type:
        match = _META_CHARSET.search(head)
        if match:
            declared.append(match.group(1).decode("ascii"))
    if looks_xml:
        match = _XML_DECLARATION.search(head)
        if match:
            declared.append(match.group(1).decode("ascii"))

    tried: list[str] = []
    for name in [*declared, "utf-8"]:
        codec = _codec(name)
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        text = _try(content, codec)
        if text is not None:
            return text

    # Korean sites are the common case: CP949 before general detection (it
    # is strict enough that Latin-1 text rarely decodes as CP949).
    candidates = ["cp949"]
    best = from_bytes(content, cp_isolation=_DETECTABLE).best()
    if best is not None and best.encoding:
        candidates.append(best.encoding)
    for name in candidates:
        codec = _codec(name)
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        text = _try(content, codec)
        if text is not None:
            return text

    names = ", ".join(_label(codec) for codec in tried)
    raise EncodingError(
        _(
            "The page is not valid text in %(names)s, and no other encoding "
            "fits. Open the original in a browser: if it reads correctly "
            "there, tell a developer which encoding it uses."
        )
        % {"names": names}
    )


def is_mojibake(text: str) -> bool:
    """True if `text` shows signs of being decoded with the wrong charset:
    replacement characters, or Korean bytes read as Latin-1."""
    return (
        "\ufffd" in text
        or _UTF8_AS_LATIN1.search(text) is not None
        or _EUCKR_AS_LATIN1.search(text) is not None
    )


def _codec(name: str) -> str | None:
    """The Python codec for a charset label, with EUC-KR read as CP949."""
    label = name.strip().strip("\"'").lower()
    if label in _KOREAN_ALIASES:
        return "cp949"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp949" if codec == "euc_kr" else codec


def _label(codec: str) -> str:
    return {"cp949": "EUC-KR/CP949", "utf-8": "UTF-8"}.get(codec, codec.upper())


def _try(content: bytes, codec: str) -> str | None:
    try:
        text = content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if is_mojibake(text) else text
