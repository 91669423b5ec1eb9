"""Which portal language an item is written in.

CONTRACT: `detect_language(text: str, default: str = "ko") -> str` returns
"ko" or "en".

The portal has only two languages, and Korean is written in its own
script, so counting letters is enough: no statistical model to load or
keep up to date. Korean news is full of Latin acronyms and English names
("MOLIT", "K-City", "AI"), so Korean wins from a modest share of Hangul.
"""

# Korean when at least this share of the letters are Hangul.
HANGUL_SHARE = 0.2


def detect_language(text: str, default: str = "ko") -> str:
    """ "ko" if Hangul letters are at least a fifth of the letters in `text`,
    "en" if there are letters but fewer Hangul ones, `default` if there are
    no letters at all."""
    hangul = latin = 0
    for char in text:
        if _is_hangul(char):
            hangul += 1
        elif char.isalpha() and char.isascii():
            latin += 1
    letters = hangul + latin
    if letters == 0:
        return default
    return "ko" if hangul / letters >= HANGUL_SHARE else "en"


def _is_hangul(char: str) -> bool:
    code = ord(char)
    return (
        0xAC00 <= code <= 0xD7A3  # syllables
        or 0x1100 <= code <= 0x11FF  # jamo
        or 0x3130 <= code <= 0x318F  # compatibility jamo
    )
