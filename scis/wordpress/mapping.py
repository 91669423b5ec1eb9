"""The editor's mapping from WordPress categories, tags and authors to SCIS
sections and taxonomy terms (YAML; see docs/wordpress.md), and the cached
lookups that apply it to every post."""

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from scis.news.models import Section
from scis.taxonomy.models import Organisation, Programme, Region, Topic

DEFAULT_MAPPING = Path(__file__).resolve().parent / "default_mapping.yaml"
TAXONOMY_MODELS: dict[str, Any] = {
    "topics": Topic,
    "regions": Region,
    "programmes": Programme,
    "organisations": Organisation,
}
SECTIONS = {choice.value for choice in Section}
TERM_KEYS = {"section", *TAXONOMY_MODELS}
# Term domains that classify nothing: presentation only.
IGNORED_DOMAINS = {"post_format", "nav_menu"}
DOMAIN_LABELS = {"category": "category", "post_tag": "tag"}


class MappingError(Exception):
    """The mapping file cannot be used; `problems` says why, one per line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def normalise(name: str) -> str:
    """How names are compared: entities decoded, percent-decoded (WordPress
    slugs of Korean names), NFC, case and spacing ignored."""
    text = unquote(html.unescape(name or ""))
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"[\s_]+", " ", text).strip()


@dataclass(frozen=True)
class Target:
    """What one WordPress term (or author) becomes."""

    section: str = ""
    topics: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    ignore: bool = False


@dataclass
class Mapping:
    path: Path
    default_section: str = "issue"
    pages: str = "special"  # a section, or "skip"
    private: str = "draft"  # "draft" or "skip"
    terms: dict[str, Target] = field(default_factory=dict)
    authors: dict[str, Target] = field(default_factory=dict)


def _slugs(value, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where}: expected a slug or a list of slugs")
    return ()


def _target(value, where: str, problems: list[str], allowed: set[str]) -> Target:
    if value == "ignore" or value is None:
        return Target(ignore=True)
    if not isinstance(value, dict):
        problems.append(f"{where}: expected 'ignore' or a mapping of {sorted(allowed)}")
        return Target(ignore=True)
    unknown = set(value) - allowed
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    section = value.get("section") or ""
    if section and section not in SECTIONS:
        problems.append(
            f"{where}: section '{section}' is not one of {', '.join(sorted(SECTIONS))}"
        )
    slugs: dict[str, Any] = {
        name: _slugs(value.get(name), f"{where} {name}", problems)
        for name in TAXONOMY_MODELS
    }
    return Target(section=section, **slugs)


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and check a mapping file (the shipped default when `path` is None)."""
    path = Path(path) if path else DEFAULT_MAPPING
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise MappingError(path, [f"cannot read the file: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MappingError(path, [f"{where}not valid YAML ({problem})"]) from exc
    if not isinstance(data, dict):
        raise MappingError(path, ["the file must be a YAML mapping (key: value)"])
    problems: list[str] = []
    unknown = set(data) - {"default_section", "pages", "private", "terms", "authors"}
    if unknown:
        problems.append(f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    mapping = Mapping(path=path)
    mapping.default_section = str(data.get("default_section", "issue"))
    if mapping.default_section not in SECTIONS:
        problems.append(
            f"default_section '{mapping.default_section}' is not one of "
            f"{', '.join(sorted(SECTIONS))}"
        )
    mapping.pages = str(data.get("pages", "special"))
    if mapping.pages != "skip" and mapping.pages not in SECTIONS:
        problems.append(f"pages: '{mapping.pages}' must be 'skip' or a section")
    mapping.private = str(data.get("private", "draft"))
    if mapping.private not in ("draft", "skip"):
        problems.append(f"private: '{mapping.private}' must be 'draft' or 'skip'")
    for group, allowed in (("terms", TERM_KEYS), ("authors", {"organisations"})):
        entries = data.get(group) or {}
        if not isinstance(entries, dict):
            problems.append(f"{group}: expected a mapping of names")
            continue
        for name, value in entries.items():
            target = _target(value, f"{group} '{name}'", problems, allowed)
            getattr(mapping, group)[normalise(str(name))] = target
    if problems:
        raise MappingError(path, problems)
    return mapping


@dataclass
class Resolved:
    """A post's classification once its terms went through the mapping."""

    section: str = ""
    topics: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    programmes: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, target: Target, terms: "Taxonomy") -> None:
        if target.section and not self.section:
            self.section = target.section
        for name in TAXONOMY_MODELS:
            bucket = getattr(self, name)
            for slug in getattr(target, name):
                term = terms.by_slug[name][slug]
                if term not in bucket:
                    bucket.append(term)


class Taxonomy:
    """Every taxonomy term in memory (a few hundred rows), by slug and by
    name, so posts are classified without a query each."""

    def __init__(self) -> None:
        self.by_slug: dict[str, dict] = {}
        self.by_name: dict[str, Target] = {}
        for name, model in TAXONOMY_MODELS.items():
            terms = {term.slug: term for term in model.objects.all()}
            self.by_slug[name] = terms
            for term in terms.values():
                for label in {term.name_ko, term.name_en, term.slug}:
                    key = normalise(label)
                    if not key:
                        continue
                    # "서울특별시" names a region and a local government: both.
                    found = self.by_name.get(key, Target())
                    if term.slug not in getattr(found, name):
                        added: dict[str, Any] = {
                            name: (*getattr(found, name), term.slug)
                        }
                        found = replace(found, **added)
                    self.by_name[key] = found

    def check(self, mapping: Mapping) -> None:
        """Every slug the mapping names must exist."""
        problems = []
        for group in ("terms", "authors"):
            for key, target in getattr(mapping, group).items():
                for name in TAXONOMY_MODELS:
                    for slug in getattr(target, name):
                        if slug not in self.by_slug[name]:
                            problems.append(
                                f"{group} '{key}': no {name[:-1]} with slug '{slug}'"
                            )
        if problems:
            if not any(self.by_slug.values()):
                problems.insert(
                    0, "the taxonomy is empty: run `python manage.py load_taxonomy`"
                )
            raise MappingError(mapping.path, problems)


class Classifier:
    """Applies a mapping to posts' terms, remembering each term's answer."""

    def __init__(self, mapping: Mapping, taxonomy: Taxonomy):
        self.mapping = mapping
        self.taxonomy = taxonomy
        self._cache: dict[tuple[str, str, str], Target | None] = {}

    def _target(self, domain: str, nicename: str, name: str) -> Target | None:
        key = (domain, nicename, name)
        if key in self._cache:
            return self._cache[key]
        found = None
        for label in (name, nicename):
            normalised = normalise(label)
            if normalised in self.mapping.terms:
                found = self.mapping.terms[normalised]
                break
        if found is None:
            # A term named exactly like a taxonomy term needs no mapping.
            for label in (name, nicename):
                normalised = normalise(label)
                if normalised in self.taxonomy.by_name:
                    found = self.taxonomy.by_name[normalised]
                    break
        self._cache[key] = found
        return found

    def classify(self, terms, author_keys: list[str]) -> Resolved:
        resolved = Resolved()
        # Categories first: a post's section comes from its categories before
        # its tags.
        ordered = sorted(terms, key=lambda t: t.domain != "category")
        for term in ordered:
            if term.domain in IGNORED_DOMAINS:
                continue
            target = self._target(term.domain, term.nicename, term.name)
            if target is None:
                label = DOMAIN_LABELS.get(term.domain, term.domain)
                resolved.unmapped.append((label, term.name, unquote(term.nicename)))
            elif not target.ignore:
                resolved.add(target, self.taxonomy)
        for key in author_keys:
            target = self.mapping.authors.get(normalise(key))
            if target is not None:
                if not target.ignore:
                    resolved.add(target, self.taxonomy)
                break
        return resolved

    def author_mapped(self, author_keys: list[str]) -> bool:
        return any(normalise(key) in self.mapping.authors for key in author_keys)
