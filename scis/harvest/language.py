"""Which portal language an item is written in.

CONTRACT: `detect_language(text: str, default: str = "ko") -> str` returns
"ko" or "en".
"""


def detect_language(text: str, default: str = "ko") -> str:
    raise NotImplementedError
