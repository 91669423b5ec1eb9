"""An HTML listing page: the Korean government bulletin board (게시판), a
table of posts with a title link and a date per row, spread over pages.

Rows are found with CSS selectors. Links are resolved against the page's
URL (or its <base href>). Rows whose link is a `javascript:` call (common on
eGovFrame boards) cannot be followed and are recorded in `Gathered.errors`.
The same post listed twice (a pinned 공지 repeated on every page) is kept
once. A page after the first that fails is recorded in `Gathered.errors`
and what was read is kept. `complete` is True only when the last page was
reached (no next page) within `max_pages`.

Config keys (`source.config`):
- `item` (required): CSS selector of one row, e.g. "table.board tbody tr"
  or "ul.bbs-list > li".
- `link` (default "a"): CSS selector of the post's link inside a row.
- `title` (default: the link's text): CSS selector of the title in a row.
- `date`: CSS selector of the date in a row ("2024.03.28", "24.3.4.",
  "2024년 3월 28일" and ISO forms are read).
- `next`: CSS selector of the next-page link (e.g. "a.next" or
  "a[title='다음 페이지']"); or else
- `page_param`: the query parameter that numbers pages (e.g. "page" or
  "pageIndex"), counted from the source URL's value (default 1). Reading
  stops at a page with no rows, or one that only repeats rows already seen.
- `max_pages` (default 5): at most this many pages per run.
- `guid_param`: the query parameter that identifies a post (e.g. "nttId",
  "seq", "bbsSeq"), so the item's identity stays the same when other
  parameters of its link (page number, search terms) change.
- `fetch_pages` (default true): see rss.py; a board row has no text, so
  leave it on.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from ..dates import parse_date
from ..encoding import EncodingError
from ..fetching import FetchError, Response
from . import register
from .base import Entry, Gathered, GatherError, Harvester
from .sitemap import whole_number

DEFAULT_MAX_PAGES = 5
_SPACES = re.compile(r"\s+")


@register
class ListingHarvester(Harvester):
    """A paginated HTML listing of posts."""

    kind = "listing"
    accept = ("text/html", "application/xhtml+xml")

    def gather(self) -> Gathered:
        """Read the listing's pages, from the source URL on."""
        selectors = self._selectors()
        max_pages = whole_number(self.config, "max_pages", DEFAULT_MAX_PAGES)
        page_param = str(self.config.get("page_param") or "")
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

        seen: set[str] = set()
        first_page = _page_number(url, page_param)
        pages = 1
        page_failed = False
        self.pages_unreachable = False
        follow = self._read_page(response, selectors, gathered, seen, first=True)
        while follow is not None:
            if page_param:
                target = _with_param(url, page_param, first_page + pages)
            elif "next" in selectors:
                target = follow
            else:
                break  # one page, no pagination configured: it is all there is
            if pages >= max_pages:
                return gathered  # more pages left: only a window was seen
            pages += 1
            try:
                answer = self.fetcher.get(target, accept=self.accept)
                follow = self._read_page(answer, selectors, gathered, seen)
            except (FetchError, GatherError) as exc:
                gathered.errors.append((target, str(exc)))
                page_failed = True
                if not page_param:
                    return gathered  # no page, so no next link: stop here
                follow = ""  # numbered pages: go on with the one after
        gathered.complete = not page_failed and not self.pages_unreachable
        return gathered

    def _read_page(
        self,
        response: Response,
        selectors: dict[str, Any],
        gathered: Gathered,
        seen: set[str],
        first: bool = False,
    ) -> str | None:
        """Add one page's rows to `gathered`. Return the next page's URL
        (with a `next` selector), "" to go on (with `page_param`), or None
        when this was the last page."""
        page_url = response.url
        try:
            text = response.text()
        except EncodingError as exc:
            raise GatherError(
                f"The listing page {page_url} is not text: {exc}"
            ) from exc
        document = _document(text, page_url)
        base = _base_url(document, page_url)
        rows = selectors["item"](document)
        if not rows:
            if first:
                raise GatherError(
                    f"No rows on {page_url} match the `item` selector "
                    f"{self.config['item']!r}; check the selector against the "
                    "page (the site may have changed its layout)."
                )
            return None
        new_rows = 0
        for row in rows:
            entry = self._entry(row, selectors, base, page_url, gathered)
            if entry is None or entry.guid in seen:
                continue
            seen.add(entry.guid)
            gathered.entries.append(entry)
            new_rows += 1
        if "next" in selectors:
            found = selectors["next"](document)
            links = [link for link in found if _followable(link)]
            if found and not links:
                # A "다음" link that runs a script: there are more pages, but
                # they cannot be reached this way. Saying so keeps the run
                # from passing for the whole board.
                gathered.errors.append(
                    (
                        page_url,
                        "The next-page link matched by the `next` selector "
                        f"{self.config['next']!r} has no address to follow (it "
                        f"is {found[0].get('href') or 'empty'!r}); set "
                        "`page_param` to the page number parameter instead.",
                    )
                )
                self.pages_unreachable = True
                return None
            if not links:
                return None
            target = urljoin(base, links[0].get("href").strip())
            return None if target == page_url else target
        # Numbered pages: a board past its last page often shows the last one
        # again, so a page with nothing new is the end.
        return "" if new_rows else None

    def _entry(
        self,
        row: Any,
        selectors: dict[str, Any],
        base: str,
        page_url: str,
        gathered: Gathered,
    ) -> Entry | None:
        links = selectors["link"](row)
        if not links:
            return None  # a header or "no posts" row
        link = links[0]
        href = (link.get("href") or "").strip()
        title_nodes = selectors["title"](row) if "title" in selectors else [link]
        title = _text(title_nodes[0]) if title_nodes else _text(link)
        if not href or href.startswith("#") or _is_script(href):
            gathered.errors.append(
                (
                    page_url,
                    f"The row “{title}” links with {href or 'no address'!r}, which "
                    "cannot be followed, so it was skipped. Point the `link` "
                    "selector at an element with a real href, or harvest this "
                    "board through its RSS feed if it has one.",
                )
            )
            return None
        url = urljoin(base, href)
        date_nodes = selectors["date"](row) if "date" in selectors else []
        date_text = _text(date_nodes[0]) if date_nodes else ""
        return Entry(
            guid=self._guid(url),
            url=url,
            title=title,
            date=parse_date(date_text),
            updated=date_text,
            # Kept as written, so a date form parse_date learns later can
            # still be read from what was gathered.
            extra={"date_text": date_text} if date_text else {},
        )

    def _guid(self, url: str) -> str:
        """The post's identity: its URL, or with `guid_param` set, its URL
        with only that parameter kept in the query."""
        name = self.config.get("guid_param")
        if not name:
            return url
        parts = urlsplit(url)
        values = [(key, value) for key, value in parse_qsl(parts.query) if key == name]
        if not values:
            return url
        return urlunsplit(parts._replace(query=urlencode(values[:1]), fragment=""))

    def _selectors(self) -> dict[str, Any]:
        """The compiled selectors, or a GatherError naming the bad key."""
        if not self.config.get("item"):
            raise GatherError(
                "The listing source has no `item` setting: give the CSS selector "
                'of one row of the list, e.g. {"item": "table.board tbody tr"}.'
            )
        wanted = {"item": self.config["item"], "link": self.config.get("link") or "a"}
        for key in ("title", "date", "next"):
            if self.config.get(key):
                wanted[key] = self.config[key]
        compiled = {}
        for key, selector in wanted.items():
            try:
                compiled[key] = CSSSelector(str(selector))
            except SelectorError as exc:
                raise GatherError(
                    f"The listing source's `{key}` selector {selector!r} is not "
                    f"valid CSS ({exc}); correct it in the source's settings."
                ) from exc
        return compiled


def _document(text: str, url: str) -> Any:
    # lxml refuses a str that starts with an XML declaration (XHTML pages).
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    if not text.strip():
        raise GatherError(f"The listing page {url} is empty.")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise GatherError(f"The listing page {url} could not be parsed: {exc}") from exc


def _base_url(document: Any, page_url: str) -> str:
    for base in document.iter("base"):
        href = (base.get("href") or "").strip()
        if href and not _is_script(href):
            return urljoin(page_url, href)
    return page_url


def _followable(link: Any) -> bool:
    href = (link.get("href") or "").strip()
    return bool(href) and not href.startswith("#") and not _is_script(href)


def _is_script(href: str) -> bool:
    return href.lower().replace(" ", "").startswith(("javascript:", "vbscript:"))


def _text(node: Any) -> str:
    return _SPACES.sub(" ", node.text_content()).strip()


def _page_number(url: str, param: str) -> int:
    if not param:
        return 1
    for key, value in parse_qsl(urlsplit(url).query):
        if key == param and value.isdigit():
            return int(value)
    return 1


def _with_param(url: str, param: str, number: int) -> str:
    """`url` with query parameter `param` set to `number`, others kept."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != param]
    query.append((param, str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))
