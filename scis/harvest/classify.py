"""Suggest where an item belongs: the source's defaults, its rules, and
taxonomy names found in the text.

CONTRACT: `suggest(source, title: str, text: str) -> dict` with keys
"section" (str), "organisations", "regions", "programmes", "topics" (lists
of primary keys) and "reasons" (list of short strings an editor reads,
e.g. "region 세종: named in the title").

How names are found (`TermIndex`): Korean names of three or more
syllables ("국토교통부", "세종특별자치시") are matched anywhere; short Korean
names ("세종", "부산", "교통") only at the start of a word, and short region
names only when a particle, a space or punctuation follows, so "부산" is
not found in "부산대학교" nor "교통" in "국토교통부". English names match as
whole words, case-insensitively; abbreviations (MOLIT, LH, KIND) as whole
words in capitals only, so "kind" is not KIND. A name in the title weighs
3, in the lead (the first paragraph) 2, further down 1 per mention; a
term is suggested from a weight of 2, so one passing mention deep in the
text is not enough. Each list holds at most five terms.

The names are read from the database once per process and kept; saving or
deleting a term clears them (signals), and they are reread after
`CACHE_SECONDS` anyway, for changes made by another process.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from scis.taxonomy.models import Organisation, Programme, Region, Topic

MAX_PER_LIST = 5
TITLE_WEIGHT = 3
LEAD_WEIGHT = 2
LEAD_CHARS = 300
MIN_WEIGHT = 2
CACHE_SECONDS = 300

LISTS = ("organisations", "regions", "programmes", "topics")
_RULE_TARGETS = {
    "organisation": ("organisations", Organisation),
    "region": ("regions", Region),
    "programme": ("programmes", Programme),
    "topic": ("topics", Topic),
}
SECTIONS = ("issue", "policy-project", "policy-trend", "special")

_HANGUL = "가-힣"
# What may follow a short Korean name: a particle (or 시/도 as in "세종시",
# "-형" as in "세종형"), or anything that is not a Hangul syllable.
_KOREAN_END = rf"(?=(?:시|도)?(?:[은는이가을를의에와과도로으까부만형]|[^{_HANGUL}]|$))"
_PROVINCE_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시")


@dataclass
class Term:
    kind: str  # "regions", "organisations", "programmes", "topics"
    pk: int
    label: str
    patterns: list[re.Pattern] = field(default_factory=list)
    # Lower-case strings at least one of which every match contains: a
    # substring test skips the regexes for the many terms a text never names.
    anchors: tuple[str, ...] = ()

    def mentioned(self, lowered: str) -> bool:
        """Whether the (lower-cased) text may name this term."""
        return any(anchor in lowered for anchor in self.anchors)

    def count(self, text: str, lowered: str) -> int:
        if not self.mentioned(lowered):
            return 0
        return sum(len(pattern.findall(text)) for pattern in self.patterns)


def _kind_label(kind: str) -> str:
    return {
        "regions": _("region"),
        "organisations": _("organisation"),
        "programmes": _("programme"),
        "topics": _("topic"),
        "section": _("section"),
    }[kind]


def _korean_pattern(name: str, *, short: bool = False) -> re.Pattern:
    """Korean names: flexible spacing; short names need a word start and,
    for `short`, a particle or non-letter after them."""
    body = r"\s*".join(re.escape(part) for part in name.split())
    if short:
        return re.compile(rf"(?<![{_HANGUL}]){body}{_KOREAN_END}")
    if len(name.replace(" ", "")) <= 2:
        return re.compile(rf"(?<![{_HANGUL}]){body}")
    return re.compile(body)


def _english_pattern(name: str) -> re.Pattern:
    words = name.split()
    last = words[-1]
    if last.lower().endswith("ies"):
        last = re.escape(last[:-3]) + "(?:y|ies)"
    elif last.lower().endswith("s") and len(last) > 3:
        last = re.escape(last[:-1]) + "s?"
    else:
        last = re.escape(last) + "s?"
    body = r"\s+".join([*(re.escape(word) for word in words[:-1]), last])
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def _abbreviation_pattern(abbreviation: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])")


def _name_patterns(name_ko: str, name_en: str) -> list[re.Pattern]:
    patterns = []
    for part in re.split(r"[·/]", name_ko):
        part = part.strip()
        if len(part) >= 2:
            patterns.append(_korean_pattern(part))
    if name_en and name_en != name_ko:
        patterns.append(_english_pattern(name_en))
    return patterns


def _short_region_names(name_ko: str) -> list[str]:
    """세종특별자치시 → 세종, 충청북도 → 충북, 전북특별자치도 → 전북."""
    for suffix in _PROVINCE_SUFFIXES:
        if name_ko.endswith(suffix) and len(name_ko) > len(suffix) + 1:
            return [name_ko[: -len(suffix)]]
    if len(name_ko) == 4 and name_ko.endswith("도") and name_ko[2] in "북남":
        return [name_ko[0] + name_ko[2]]
    # Not 경기도 → 경기: "경기" is also the economy and a match.
    return []


class TermIndex:
    """Every taxonomy term with the patterns that find it in text."""

    def __init__(self) -> None:
        self.terms: list[Term] = []
        self.by_slug: dict[tuple[str, str], int] = {}
        self.labels: dict[tuple[str, int], str] = {}
        for region in Region.objects.all():
            patterns = _name_patterns(region.name_ko, region.name_en)
            shorts = []
            if region.level == Region.Level.PROVINCE:
                shorts = _short_region_names(region.name_ko)
                patterns += [_korean_pattern(short, short=True) for short in shorts]
            self._add("regions", region, patterns, shorts)
        for organisation in Organisation.objects.all():
            patterns = _name_patterns(organisation.name_ko, organisation.name_en)
            extra = []
            if organisation.abbreviation:
                patterns.append(_abbreviation_pattern(organisation.abbreviation))
                extra.append(organisation.abbreviation)
            self._add("organisations", organisation, patterns, extra)
        for programme in Programme.objects.all():
            self._add(
                "programmes",
                programme,
                _name_patterns(programme.name_ko, programme.name_en),
            )
        for topic in Topic.objects.all():
            self._add("topics", topic, _name_patterns(topic.name_ko, topic.name_en))

    def _add(
        self, kind: str, term, patterns: list[re.Pattern], extra: Sequence[str] = ()
    ) -> None:
        label = term.name_ko or term.name_en
        anchors = {_anchor(part, 2) for part in re.split(r"[·/]", term.name_ko)}
        anchors.add(_anchor(term.name_en, 3))
        anchors.update(value.lower() for value in extra)
        anchors.discard("")
        self.terms.append(Term(kind, term.pk, label, patterns, tuple(anchors)))
        self.by_slug[(kind, term.slug)] = term.pk
        self.labels[(kind, term.pk)] = label


def _anchor(name: str, length: int) -> str:
    """The start of a name's first word: every spelling of it contains this."""
    words = name.split()
    return words[0][:length].lower() if words else ""


_lock = threading.Lock()
_cached: tuple[float, TermIndex] | None = None


def term_index() -> TermIndex:
    """The taxonomy names, loaded once and reused (see the module docstring)."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > CACHE_SECONDS:
            _cached = (time.monotonic(), TermIndex())
        return _cached[1]


def invalidate(**_kwargs) -> None:
    """Forget the loaded names (a term was saved or deleted)."""
    global _cached
    with _lock:
        _cached = None


for _model in (Region, Organisation, Programme, Topic):
    post_save.connect(invalidate, sender=_model, dispatch_uid=f"classify-{_model}")
    post_delete.connect(invalidate, sender=_model, dispatch_uid=f"classify-{_model}-d")


class _Suggestion:
    def __init__(self) -> None:
        self.section = ""
        self.lists: dict[str, list[int]] = {kind: [] for kind in LISTS}
        self.reasons: list[str] = []

    def add(self, kind: str, pk: int | None, label: str, why: str) -> None:
        if (
            pk is None
            or pk in self.lists[kind]
            or len(self.lists[kind]) >= MAX_PER_LIST
        ):
            return
        self.lists[kind].append(pk)
        self.reasons.append(f"{_kind_label(kind)} {label}: {why}")

    def as_dict(self) -> dict:
        return {"section": self.section, **self.lists, "reasons": self.reasons}


def suggest(source, title: str, text: str) -> dict:
    """Where an item from `source` with this title and text probably
    belongs: the source's defaults first, then its rules, then the taxonomy
    terms named in the title and text (strongest first)."""
    index = term_index()
    result = _Suggestion()
    title = " ".join((title or "").split())
    text = text or ""

    _apply_defaults(source, index, result)
    _apply_rules(getattr(source, "rules", None) or [], title, text, index, result)

    scored = []
    # The lead: the first paragraph, as far as LEAD_CHARS.
    lead = text.split("\n\n", 1)[0][:LEAD_CHARS]
    rest = text[len(lead) :]
    lowered = {part: part.lower() for part in (title, lead, rest)}
    # The cheap substring test once over everything, then the regexes only
    # for the few terms the text may name.
    whole = "\n".join(lowered.values())
    for term in [term for term in index.terms if term.mentioned(whole)]:
        in_title = term.count(title, lowered[title])
        in_lead = term.count(lead, lowered[lead])
        in_rest = term.count(rest, lowered[rest])
        weight = TITLE_WEIGHT * in_title + LEAD_WEIGHT * in_lead + in_rest
        if weight >= MIN_WEIGHT:
            scored.append((weight, in_title, in_lead + in_rest, term))
    scored.sort(key=lambda row: (-row[0], row[3].label))
    for _weight, in_title, in_text, term in scored:
        if in_title:
            why = _("named in the title")
        else:
            why = _("named %(count)d× in the text") % {"count": in_text}
        result.add(term.kind, term.pk, term.label, why)
    return result.as_dict()


def _apply_defaults(source, index: TermIndex, result: _Suggestion) -> None:
    why = _("default of the source")
    if getattr(source, "section", ""):
        result.section = source.section
        result.reasons.append(f"{_kind_label('section')} {source.section}: {why}")
    for attribute, kind in (
        ("organisation_id", "organisations"),
        ("region_id", "regions"),
        ("programme_id", "programmes"),
    ):
        pk = getattr(source, attribute, None)
        if pk is not None:
            result.add(kind, pk, index.labels.get((kind, pk), str(pk)), why)
    if getattr(source, "pk", None):
        for topic in source.topics.all():
            result.add("topics", topic.pk, topic.name_ko or topic.name_en, why)


def _rule_matches(rule: dict, title: str, text: str) -> str:
    """The matched words if `rule` applies to this title and text, else ""."""
    where = rule.get("in", "any")
    haystacks = {"title": [title], "text": [text]}.get(where, [title, text])
    if rule.get("contains"):
        needle = str(rule["contains"])
        if any(needle.lower() in haystack.lower() for haystack in haystacks):
            return needle
        return ""
    if rule.get("pattern"):
        try:
            pattern = re.compile(str(rule["pattern"]), re.IGNORECASE)
        except re.error:
            return ""
        for haystack in haystacks:
            match = pattern.search(haystack)
            if match:
                return match.group(0)
    return ""


def _apply_rules(
    rules: list, title: str, text: str, index: TermIndex, result: _Suggestion
) -> None:
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        matched = _rule_matches(rule, title, text)
        if not matched:
            continue
        why = _("rule “%(words)s”") % {"words": matched}
        section = rule.get("section")
        if section in SECTIONS:
            result.section = section
            result.reasons.append(f"{_kind_label('section')} {section}: {why}")
        for key, (kind, _model) in _RULE_TARGETS.items():
            slug = rule.get(key)
            if slug:
                pk = index.by_slug.get((kind, str(slug)))
                if pk is not None:  # unknown slugs: see rule_problems()
                    result.add(kind, pk, index.labels[(kind, pk)], why)


def rule_problems(rules) -> list[str]:
    """What is wrong with a source's rules, one message per problem (empty
    if they are fine), for the form or loader that saves them."""
    if not isinstance(rules, list):
        return [_("Rules must be a list of objects.")]
    index = term_index()
    problems = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict):
            problems.append(_("Rule %(n)d is not an object.") % {"n": number})
            continue
        if not rule.get("contains") and not rule.get("pattern"):
            problems.append(
                _('Rule %(n)d needs "contains" or "pattern".') % {"n": number}
            )
        if rule.get("pattern"):
            try:
                re.compile(str(rule["pattern"]))
            except re.error as exc:
                problems.append(
                    _(
                        "Rule %(n)d: the pattern is not a valid regular expression "
                        "(%(error)s)."
                    )
                    % {"n": number, "error": exc}
                )
        if rule.get("in", "any") not in ("title", "text", "any"):
            problems.append(
                _('Rule %(n)d: "in" must be "title", "text" or "any".') % {"n": number}
            )
        if "section" in rule and rule["section"] not in SECTIONS:
            problems.append(
                _("Rule %(n)d: unknown section “%(slug)s”.")
                % {"n": number, "slug": rule["section"]}
            )
        targets = [key for key in _RULE_TARGETS if key in rule]
        if not targets and "section" not in rule:
            problems.append(
                _(
                    "Rule %(n)d names no section, topic, region, organisation or "
                    "programme."
                )
                % {"n": number}
            )
        for key in targets:
            kind = _RULE_TARGETS[key][0]
            if (kind, str(rule[key])) not in index.by_slug:
                problems.append(
                    _("Rule %(n)d: no %(kind)s with the slug “%(slug)s”.")
                    % {"n": number, "kind": _kind_label(kind), "slug": rule[key]}
                )
    return problems
