"""A JSON API that lists posts, mapped to entries field by field.

Paths are dotted: "data.items" is `answer["data"]["items"]`; a number picks
from a list ("authors.0.name"). Each object of the item list becomes an
Entry; `guid` defaults to the item's URL. An item without a URL is
skipped and recorded in `Gathered.errors`. A page after the first
that fails is recorded too, and what was read is kept. `complete` is True
when the last page (no next URL) was reached within `max_pages`.

Config keys (`source.config`):
- `items` (required): dotted path to the list of items in each answer, e.g.
  "data.items" or "response.body.items.item" (data.go.kr style, where a
  lone item comes as an object, which is read as a list of one); "" when
  the answer itself is the list.
- `fields` (required): a mapping from entry fields to dotted paths in one
  item object. `url` is required; optional are `guid`, `title`, `date`,
  `summary`, `body` (HTML), `authors` (a string, a list of strings, or a
  list of objects with "name") and `language` ("ko"/"en"; "ko-KR" is read
  as "ko"). For example {"url": "link", "title": "title",
  "date": "regDate", "guid": "id"}.
- `next`: dotted path to the next page's URL in each answer (relative URLs
  are resolved against the page); without it only the source URL is read.
- `max_pages` (default 5): at most this many pages per run.
- `fetch_pages` (default true): set it to false when `body` carries the
  full text, to save a request per item.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from ..dates import parse_date
from ..encoding import EncodingError
from ..fetching import FetchError, Response
from ..sanitise import plain_text
from . import register
from .base import Entry, Gathered, GatherError, Harvester
from .sitemap import whole_number

DEFAULT_MAX_PAGES = 5
FIELDS = ("guid", "url", "title", "date", "summary", "body", "authors", "language")
REQUIRED_FIELDS = ("url",)
_MISSING = object()


@register
class JsonApiHarvester(Harvester):
    """A JSON API listing posts."""

    kind = "json"
    accept = ("application/json", "+json", "text/")

    def gather(self) -> Gathered:
        """Read the API's pages, following `next` when configured."""
        items_path, fields = self._mapping()
        max_pages = whole_number(self.config, "max_pages", DEFAULT_MAX_PAGES)
        next_path = str(self.config.get("next") or "")
        url = self.source.url
        response = self.fetcher.get(
            url,
            etag=self.source.etag,
            last_modified=self.source.last_modified,
            accept=self.accept,
        )
        gathered = Gathered(etag=response.etag, last_modified=response.last_modified)
        if response.not_modified:
            gathered.not_modified = True
            return gathered

        visited = {response.url}
        following = self._read_page(response, items_path, fields, next_path, gathered)
        pages = 1
        while following:
            if following in visited or pages >= max_pages:
                return gathered  # more pages (or a loop): only a window was seen
            visited.add(following)
            pages += 1
            try:
                answer = self.fetcher.get(following, accept=self.accept)
                following = self._read_page(
                    answer, items_path, fields, next_path, gathered
                )
            except (FetchError, GatherError) as exc:
                gathered.errors.append((following, str(exc)))
                return gathered
        gathered.complete = True
        return gathered

    def _mapping(self) -> tuple[str, dict[str, str]]:
        """The `items` path and `fields` mapping, or a GatherError naming
        what is missing or wrong."""
        if "items" not in self.config:
            raise GatherError(
                "The JSON source has no `items` setting: give the dotted path to "
                'the list of items in the answer, e.g. {"items": "data.items"} '
                '(or "" when the answer is the list itself).'
            )
        fields = self.config.get("fields")
        if not isinstance(fields, dict):
            raise GatherError(
                "The JSON source has no `fields` mapping: give the path of each "
                'field in one item, e.g. {"fields": {"url": "link", "title": '
                '"title", "date": "regDate"}}.'
            )
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise GatherError(
                f"The JSON source's `fields` has unknown key(s) "
                f"{', '.join(unknown)}; use only {', '.join(FIELDS)}."
            )
        missing = [key for key in REQUIRED_FIELDS if not fields.get(key)]
        if missing:
            raise GatherError(
                f"The JSON source's `fields` mapping lacks {', '.join(missing)}: "
                f"say where each item's {' and '.join(missing)} is, e.g. "
                '{"url": "link"}.'
            )
        return str(self.config["items"] or ""), {k: str(v) for k, v in fields.items()}

    def _read_page(
        self,
        response: Response,
        items_path: str,
        fields: dict[str, str],
        next_path: str,
        gathered: Gathered,
    ) -> str:
        """Add one answer's items; return the next page's URL, or ""."""
        page_url = response.url
        try:
            data = json.loads(response.text())
        except EncodingError as exc:
            raise GatherError(
                f"The JSON answer at {page_url} is not text: {exc}"
            ) from exc
        except json.JSONDecodeError as exc:
            raise GatherError(
                f"The answer at {page_url} is not valid JSON (line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}); check that the URL is the API "
                "address, not its documentation page."
            ) from exc
        items = lookup(data, items_path)
        if isinstance(items, dict):
            # data.go.kr style APIs give a lone item as an object, not a list.
            items = [items]
        if items is _MISSING or not isinstance(items, list):
            found = "nothing" if items is _MISSING else type(items).__name__
            raise GatherError(
                f"The `items` path {items_path!r} finds {found} in the answer at "
                f"{page_url}, not a list; check the path against the answer."
            )
        for position, item in enumerate(items, start=1):
            entry = _entry(item, fields, page_url) if isinstance(item, dict) else None
            if entry is None:
                gathered.errors.append(
                    (
                        page_url,
                        f"Item {position} has no value at the `url` path "
                        f"{fields['url']!r}, so it was skipped; check the `fields` "
                        "mapping.",
                    )
                )
                continue
            gathered.entries.append(entry)
        if not next_path:
            return ""
        following = lookup(data, next_path)
        if not isinstance(following, str) or not following.strip():
            return ""
        return urljoin(page_url, following.strip())


def lookup(data: Any, path: str) -> Any:
    """The value at dotted `path` in `data` (`_MISSING` when absent)."""
    if not path:
        return data
    current = data
    for step in path.split("."):
        if isinstance(current, dict) and step in current:
            current = current[step]
        elif isinstance(current, list) and step.isdigit() and int(step) < len(current):
            current = current[int(step)]
        else:
            return _MISSING
    return current


def _entry(item: dict[str, Any], fields: dict[str, str], page_url: str) -> Entry | None:
    def text(key: str) -> str:
        if key not in fields:
            return ""
        value = lookup(item, fields[key])
        if value is _MISSING or value is None:
            return ""
        return str(value).strip()

    url = text("url")
    guid = text("guid") or url
    if not url:
        return None
    url = urljoin(page_url, url)
    language = text("language").lower()[:2]
    body = text("body")
    return Entry(
        guid=guid,
        url=url,
        title=plain_text(text("title")).strip(),
        date=parse_date(text("date")),
        summary=plain_text(text("summary")).strip(),
        body_html=body,
        authors=_authors(
            lookup(item, fields["authors"]) if "authors" in fields else None
        ),
        language=language if language in ("ko", "en") else "",
        updated=text("date"),
    )


def _authors(value: Any) -> list[str]:
    if value is _MISSING or value is None:
        return []
    values = value if isinstance(value, list) else [value]
    names = []
    for one in values:
        name = one.get("name", "") if isinstance(one, dict) else one
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names
