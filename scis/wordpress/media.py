"""WordPress uploads: fetched into the Wagtail image and document libraries
when reachable (capped in size and time, never from private addresses unless
allowed), otherwise kept as links to where they were."""

import html
import ipaddress
import re
import socket
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from .content import attributes
from .models import ImportedMedia

IMAGE_EXTENSIONS = {"avif", "gif", "jpg", "jpeg", "png", "webp"}
COLLECTION_NAME = "WordPress"
USER_AGENT = "SCIS-WordPress-import/1 (+https://www.smartcity.go.kr)"
MAX_REDIRECTS = 3
# WordPress serves resized copies as name-300x200.jpg and large originals
# as name-scaled.jpg; both stand for the same attachment.
SIZE_SUFFIX_RE = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")


class FetchError(Exception):
    """Why an upload could not be fetched; said in the report."""


@dataclass
class Attachment:
    wp_id: int | None
    url: str
    parent_id: int | None = None
    title: str = ""
    caption: str = ""
    alt: str = ""
    link: str = ""


@dataclass
class Media:
    """What one upload became: an image, a document, or a link."""

    url: str
    kind: str  # "image", "document" or "link"
    image_id: int | None = None
    document_id: int | None = None
    href: str = ""  # where a link to it points
    reason: str = ""


@dataclass
class MediaCounts:
    images: int = 0
    documents: int = 0
    reused: int = 0
    linked: Counter = field(default_factory=Counter)  # reason → files
    linked_urls: list[str] = field(default_factory=list)


def extension(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower().lstrip(".")


def upload_key(url: str) -> str:
    """The attachment an upload URL stands for: its path without the size
    suffix WordPress gives resized copies."""
    return SIZE_SUFFIX_RE.sub("", unquote(urlsplit(url).path))


def resolve_host(host: str) -> list[str]:
    """The addresses a host name resolves to (tests replace this)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=6)]


def _check_host(host: str, allow_private: bool) -> None:
    try:
        addresses = resolve_host(host)
    except (OSError, UnicodeError) as exc:
        raise FetchError("host not found") from exc
    if allow_private:
        return
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            raise FetchError("private or loopback address (use --allow-private)")


def fetch(
    client: httpx.Client, url: str, *, allow_private: bool, max_bytes: int
) -> bytes:
    """The body of `url`, following a few redirects, each target checked."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("not an http(s) address")
        _check_host(parts.hostname, allow_private)
        try:
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"larger than {max_bytes // 1_000_000} MB")
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise FetchError(f"larger than {max_bytes // 1_000_000} MB")
                return bytes(data)
        except httpx.TimeoutException as exc:
            raise FetchError("timed out") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"unreachable ({type(exc).__name__})") from exc
    raise FetchError("too many redirects")


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a picture, None when it is not one."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(BytesIO(data)) as picture:
            size = picture.size
            picture.verify()
    except Exception:  # noqa: BLE001 — any decoder error means "not an image"
        return None
    return size


class MediaLibrary:
    """Finds or fetches uploads; each URL is tried at most once a run, and a
    file fetched by an earlier run is reused, never fetched again."""

    def __init__(
        self,
        *,
        download: bool = True,
        allow_private: bool = False,
        max_bytes: int = 25_000_000,
        timeout: float = 10.0,
    ):
        self.download = download
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.counts = MediaCounts()
        self._known: dict[str, tuple[int | None, int | None]] = {
            url: (image_id, document_id)
            for url, image_id, document_id in ImportedMedia.objects.values_list(
                "url", "image_id", "document_id"
            )
        }
        self._answers: dict[str, Media] = {}
        self._client: httpx.Client | None = None
        self._collection: Collection | None = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": USER_AGENT},
            )
        return self._client

    def collection(self) -> Collection:
        if self._collection is None:
            root = Collection.get_first_root_node()
            found = root.get_children().filter(name=COLLECTION_NAME).first()
            self._collection = found or root.add_child(name=COLLECTION_NAME)
        return self._collection

    def _link(self, url: str, reason: str) -> Media:
        self.counts.linked[reason] += 1
        self.counts.linked_urls.append(url)
        return Media(url=url, kind="link", href=url, reason=reason)

    def _from_known(self, url: str) -> Media | None:
        ids = self._known.get(url)
        if ids is None:
            return None
        image_id, document_id = ids
        if image_id:
            image = get_image_model().objects.filter(pk=image_id).first()
            if image is not None:
                return Media(url, "image", image_id=image_id, href=image.file.url)
        if document_id:
            document = get_document_model().objects.filter(pk=document_id).first()
            if document is not None:
                return Media(
                    url, "document", document_id=document_id, href=document.url
                )
        return None

    def get(self, attachment: Attachment) -> Media:
        """The image, document or link that stands for this upload."""
        url = attachment.url
        if url in self._answers:
            return self._answers[url]
        media = self._from_known(url)
        if media is not None:
            self.counts.reused += 1
        else:
            media = self._fetch(attachment)
        self._answers[url] = media
        return media

    def _fetch(self, attachment: Attachment) -> Media:
        url = attachment.url
        kind_of_file = extension(url)
        document_extensions = {
            ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", [])
        }
        if kind_of_file in IMAGE_EXTENSIONS:
            kind = "image"
        elif kind_of_file in document_extensions:
            kind = "document"
        else:
            return self._link(url, f"file type .{kind_of_file or '?'} is not kept")
        if not self.download:
            return self._link(url, "not downloaded (--no-download or --dry-run)")
        try:
            data = fetch(
                self.client,
                url,
                allow_private=self.allow_private,
                max_bytes=self.max_bytes,
            )
        except FetchError as exc:
            return self._link(url, str(exc))
        size = _image_size(data) if kind == "image" else None
        if kind == "image" and size is None:
            return self._link(url, "not a readable image")
        try:
            media = self._save(attachment, kind, data, size)
        except Exception as exc:  # noqa: BLE001 — the post goes on with a link
            self._collection = None
            return self._link(url, f"could not be stored ({type(exc).__name__})")
        self._known[url] = (media.image_id, media.document_id)
        return media

    def _save(self, attachment: Attachment, kind: str, data: bytes, size) -> Media:
        url = attachment.url
        name = PurePosixPath(unquote(urlsplit(url).path)).name or "upload"
        title = (attachment.title or name)[:255]
        collection = self.collection()  # committed on its own, before the file
        with transaction.atomic():
            if kind == "image":
                image = get_image_model()(
                    title=title,
                    description=attachment.alt[:255],
                    collection=collection,
                )
                image.file.save(name, ContentFile(data), save=False)
                # Saving the file clears the dimensions; they are known.
                image.width, image.height = size
                image._set_image_file_metadata()
                image.save()
                ImportedMedia.objects.create(url=url, image=image)
                self.counts.images += 1
                return Media(url, "image", image_id=image.pk, href=image.file.url)
            document = get_document_model()(title=title, collection=collection)
            document.file.save(name, ContentFile(data), save=False)
            document._set_document_file_metadata()
            document.save()
            ImportedMedia.objects.create(url=url, document=document)
            self.counts.documents += 1
            return Media(url, "document", document_id=document.pk, href=document.url)


IMG_RE = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
LINKED_IMG_RE = re.compile(
    r"<a\b([^>]*)>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE | re.DOTALL
)
ANCHOR_RE = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)


def _label(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name or url


def rewrite(markup: str, resolve) -> tuple[str, set[str]]:
    """Point the body's images and links at what the uploads became.

    `resolve(url)` returns the Media for an upload of the old site, or None
    for anything else. Images that were fetched become Wagtail image embeds;
    every other image becomes a link (SCIS does not show pictures from other
    sites). Returns the new markup and the upload URLs it uses."""
    used: set[str] = set()

    def image(img_tag: str, wrapper_href: str = "") -> str:
        values = attributes(img_tag[4:-1])
        src = values.get("src", "")
        alt = values.get("alt", "").strip()
        media = resolve(src) if src else None
        if media is not None:
            used.add(media.url)
        if media is not None and media.kind == "image":
            embed = (
                f'<embed embedtype="image" id="{media.image_id}" format="fullwidth" '
                f'alt="{html.escape(alt, quote=True)}"/>'
            )
            if wrapper_href:
                target = resolve(wrapper_href)
                if target is None or target.url != media.url:
                    return embed + link(wrapper_href, alt or _label(wrapper_href))
            return embed
        href = wrapper_href or (media.href if media is not None else src)
        if not href:
            return html.escape(alt)
        return link(href, alt or _label(src or href))

    def link(href: str, label: str) -> str:
        media = resolve(href)
        if media is not None:
            used.add(media.url)
            if media.kind == "document":
                return (
                    f'<a linktype="document" id="{media.document_id}">'
                    f"{html.escape(label)}</a>"
                )
            href = media.href
        return f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>'

    def linked_image(match: re.Match) -> str:
        return image(match.group(2), attributes(match.group(1)).get("href", ""))

    def anchor(match: re.Match) -> str:
        values = attributes(match.group(1))
        href = values.get("href", "")
        media = resolve(href) if href else None
        if media is None:
            return match.group(0)
        used.add(media.url)
        if media.kind == "document":
            return f'<a linktype="document" id="{media.document_id}">'
        return f'<a href="{html.escape(media.href, quote=True)}">'

    markup = LINKED_IMG_RE.sub(linked_image, markup)
    markup = IMG_RE.sub(lambda m: image(m.group(0)), markup)
    markup = ANCHOR_RE.sub(anchor, markup)
    return markup, used
