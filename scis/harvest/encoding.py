"""Decode fetched bytes to text: UTF-8, EUC-KR and CP949 are common on
Korean public sites, and mojibake is never stored.

CONTRACT: `decode(content, charset="", content_type="") -> str`, raising
`EncodingError` when the bytes cannot be read as text in any plausible
encoding.
"""


class EncodingError(ValueError):
    """The bytes are not text in any encoding we could detect."""


def decode(content: bytes, charset: str = "", content_type: str = "") -> str:
    try:
        return content.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise EncodingError(str(exc)) from exc
