"""Reading a WordPress eXtended RSS (WXR) export as a stream: one <item> at a
time, cleared once read, so memory stays flat whatever the file's size."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class WxrSyntaxError(Exception):
    """The file is not well-formed XML (truncated, edited by hand, …)."""

    def __init__(self, line: int, column: int, message: str):
        self.line = line
        self.column = column
        self.message = message
        super().__init__(f"line {line}, column {column}: {message}")


@dataclass
class Author:
    login: str
    display_name: str


@dataclass
class Term:
    """A category, tag or other taxonomy term attached to an item."""

    domain: str  # "category", "post_tag", "post_format", …
    nicename: str
    name: str


@dataclass
class Channel:
    """What the export says about the site; filled in as the file is read
    (WordPress writes it before the first item)."""

    title: str = ""
    link: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)


@dataclass
class Item:
    line: int
    post_id: int | None = None
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    parent_id: int | None = None
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0


def _key(tag: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 — a memo
    """`{namespace}local` as the prefixes WordPress writes: wp:, content:,
    excerpt:, dc:; whatever the WXR version in the namespace."""
    found = cache.get(tag)
    if found is not None:
        return found
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        if namespace.startswith(WP_NAMESPACE_PREFIX):
            prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
        elif namespace == CONTENT_NAMESPACE:
            prefix = "content"
        elif namespace == DC_NAMESPACE:
            prefix = "dc"
        else:
            prefix = namespace
        found = f"{prefix}:{local}"
    else:
        found = tag
    cache[tag] = found
    return found


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _item(element) -> Item:
    item = Item(line=element.sourceline or 0)
    values: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        key = _key(child.tag)
        if key == "category":
            item.terms.append(
                Term(
                    domain=child.get("domain", ""),
                    nicename=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif key == "wp:postmeta":
            meta_key = meta_value = ""
            for part in child:
                if not isinstance(part.tag, str):
                    continue
                part_key = _key(part.tag)
                if part_key == "wp:meta_key":
                    meta_key = part.text or ""
                elif part_key == "wp:meta_value":
                    meta_value = part.text or ""
            if meta_key:
                item.meta[meta_key] = meta_value
        elif key == "wp:comment":
            item.comments += 1
        else:
            values[key] = child.text or ""
    item.post_id = _int(values.get("wp:post_id"))
    item.post_type = values.get("wp:post_type", "").strip()
    item.status = values.get("wp:status", "").strip()
    item.title = values.get("title", "")
    item.link = values.get("link", "").strip()
    item.guid = values.get("guid", "").strip()
    item.creator = values.get("dc:creator", "").strip()
    item.content = values.get("content:encoded", "")
    item.excerpt = values.get("excerpt:encoded", "")
    item.post_date = values.get("wp:post_date", "").strip()
    item.post_date_gmt = values.get("wp:post_date_gmt", "").strip()
    item.post_name = values.get("wp:post_name", "").strip()
    item.parent_id = _int(values.get("wp:post_parent"))
    item.attachment_url = values.get("wp:attachment_url", "").strip()
    return item


def _author(element) -> Author:
    values = {
        _key(child.tag): (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str)
    }
    login = values.get("wp:author_login", "")
    return Author(login=login, display_name=values.get("wp:author_display_name", ""))


def _forget(element) -> None:
    """Drop a read element and everything before it under the same parent."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}


def read(path: Path, channel: Channel) -> Iterator[Item]:
    """Yield every <item> of the export in file order, filling `channel` on
    the way. Raises WxrSyntaxError where the XML breaks; every item before
    that point has been yielded."""
    events = etree.iterparse(
        str(path),
        events=("end",),
        huge_tree=True,  # posts with large inline data
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            key = _key(tag)
            if key == "item":
                item = _item(element)
                _forget(element)
                yield item
                continue
            parent = element.getparent()
            if parent is None or parent.tag != "channel":
                continue
            if key == "wp:author":
                author = _author(element)
                if author.login:
                    channel.authors[author.login] = author
                _forget(element)
            elif key in CHANNEL_FIELDS:
                setattr(channel, CHANNEL_FIELDS[key], (element.text or "").strip())
            elif key in ("wp:category", "wp:tag", "wp:term"):
                _forget(element)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        raise WxrSyntaxError(line or exc.lineno or 0, column, exc.msg) from exc
