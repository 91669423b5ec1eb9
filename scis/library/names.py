"""Authors' names split into family and given names for citation formats.

Editors type an author's name as it is printed. The rules, in order:

1. An organisation (a name with words such as "Institute", "University",
   연구원, 대학교, or a Hangul name of five or more syllables) stays whole.
2. "Family, Given" is split at the comma, in any script: the way to settle
   any name the rules below would read wrongly (e.g. "선, 우진").
3. Hangul is written family name first without a space: 김도시 is 김 + 도시;
   a known two-syllable family name (남궁, 황보, 제갈, …) is kept together.
4. A Latin name with a word in capitals takes that word as the family name
   ("KIM Do-yun", "Do-yun KIM").
5. A romanised Korean family name first, followed by a given name that is
   not itself a family name or is hyphenated, is read family name first
   ("Kim Do-yun", "Lee Sujin"); otherwise the last word is the family name
   ("Dosi Kim", "Seong Choi", "Grace Park"), with particles such as "van"
   or "de" kept with it.
6. A single word stays whole.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AuthorName:
    """A person's family and given names, or a name that is not split
    (`literal`: organisations and single words)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def is_literal(self) -> bool:
        return bool(self.literal)


_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_ORGANISATION_WORDS = re.compile(
    r"\b(institute|institution|university|college|school|ministry|agency|"
    r"corporation|corp|company|co|ltd|inc|llc|gmbh|association|committee|"
    r"council|commission|center|centre|foundation|office|department|dept|"
    r"government|authority|administration|bureau|organi[sz]ation|society|"
    r"laboratory|lab|group|team|consortium|network|city|province|county|"
    r"metropolitan|republic|bank|forum|k-water|lh|lx|krihs|auri|kaia|molit)\b",
    re.IGNORECASE,
)
_ORGANISATION_HANGUL = (
    "연구원",
    "연구소",
    "연구센터",
    "대학교",
    "대학",
    "공사",
    "공단",
    "재단",
    "협회",
    "학회",
    "위원회",
    "진흥원",
    "센터",
    "주식회사",
    "(주)",
    "㈜",
    "시청",
    "도청",
    "구청",
    "군청",
)
# Two-syllable Korean family names.
_COMPOUND_FAMILY = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"}
# Romanisations of common Korean family names (Revised Romanisation and the
# spellings families use).
_ROMANISED_FAMILY_WORDS = """
    Kim Gim Lee Yi Rhee Ri Park Pak Bak Choi Choe Jung Jeong Chung Joung Kang Gang
    Cho Jo Yoon Yun Jang Chang Lim Im Rim Han Oh O Seo Suh Shin Sin Kwon Gwon
    Hwang Ahn An Song Jeon Jun Chun Hong Yoo Yu Ryu Rhyu Go Ko Koh Moon Mun Yang
    Son Sohn Bae Pae Baek Paek Paik Heo Huh Hur Nam Noh Roh No Ha Kwak Gwak
    Sung Seong Cha Joo Ju Chu Choo Woo U Koo Ku Gu Min Na Ra Jin Ji Chi Eom Um
    Byun Byeon Pyun Chae Won Cheon Bang Kong Gong Hyun Hyeon Ham Yeo Yeom Do To
    So Seok Suk Sun Seon Seol Sul Ma Gil Kil Yeon Wi Pyo Myung Myeong Gi Ki Ban
    Wang Geum Keum Tak Guk Kook Eo Ye Gyeong Kyung Bong Sa Bu Maeng Mo Tae Pi
    Hwangbo Namgung Jegal Seonu Sunwoo Dokgo Sagong Seomun
"""
_ROMANISED_FAMILY = {name.lower() for name in _ROMANISED_FAMILY_WORDS.split()}
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le"}


def _is_organisation(name: str) -> bool:
    if _ORGANISATION_WORDS.search(name):
        return True
    compact = name.replace(" ", "")
    if any(marker in compact for marker in _ORGANISATION_HANGUL):
        return True
    return bool(_HANGUL.match(compact)) and len(compact) >= 5


def _split_hangul(name: str) -> AuthorName:
    words = name.split()
    if len(words) == 2:  # 김 도시
        return AuthorName(family=words[0], given=words[1])
    if len(words) > 2 or len(name) < 2:
        return AuthorName(literal=name)
    if len(name) >= 3 and name[:2] in _COMPOUND_FAMILY:
        return AuthorName(family=name[:2], given=name[2:])
    return AuthorName(family=name[0], given=name[1:])


def _is_capitalised_family(word: str) -> bool:
    letters = word.replace("-", "")
    return len(letters) > 1 and letters.isalpha() and letters.isupper()


def _split_latin(words: list[str]) -> AuthorName:
    capitals = [i for i, word in enumerate(words) if _is_capitalised_family(word)]
    if len(capitals) == 1:
        i = capitals[0]
        return AuthorName(family=words[i], given=" ".join(words[:i] + words[i + 1 :]))
    first, rest = words[0], words[1:]
    if first.lower() in _ROMANISED_FAMILY and (
        any("-" in word for word in rest) or rest[-1].lower() not in _ROMANISED_FAMILY
    ):
        return AuthorName(family=first, given=" ".join(rest))
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in _PARTICLES:
        family_start -= 1
    return AuthorName(
        family=" ".join(words[family_start:]), given=" ".join(words[:family_start])
    )


def split_name(name: str) -> AuthorName:
    """Split an author's name as printed into family and given names."""
    name = " ".join(name.split())
    if not name:
        return AuthorName()
    if _is_organisation(name):
        return AuthorName(literal=name)
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        if family and given:
            return AuthorName(family=family, given=given)
        return AuthorName(literal=family or given)
    if _HANGUL.match(name.replace(" ", "")):
        return _split_hangul(name)
    words = name.split()
    if len(words) == 1:
        return AuthorName(literal=name)
    return _split_latin(words)
