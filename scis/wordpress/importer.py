"""Importing a WordPress WXR export as SCIS news pages.

Two passes over the file, both streamed: the first collects the site's
attachments (so a post finds its images wherever they sit in the file), the
second reads, maps and writes the posts. The GUID is the key: a rerun
updates what changed, leaves the rest alone and never duplicates. How pages
are written, in batches with a per-post fallback, is in writer.py."""

import datetime as dt
import hashlib
import html
import json
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from scis.home.models import HomePage
from scis.news.models import NewsIndexPage, NewsPage
from scis.taxonomy.models import Topic

from . import content
from .mapping import Classifier, Mapping, Taxonomy, load_mapping
from .media import Attachment, Media, MediaLibrary, rewrite, upload_key
from .models import ImportedPost
from .report import ImportReport
from .writer import TAXONOMY_FIELDS, PageWriter, Prepared
from .wxr import Channel, Item, WxrSyntaxError, read

# Raised when what the import writes changes shape, so reruns refresh pages.
FORMAT_VERSION = 1
LANGUAGES = ("ko", "en")
LIVE_STATUSES = {"publish"}
DRAFT_STATUSES = {"draft", "pending", "future"}
NOT_CONTENT = {
    "revision": "revision (the current version is imported)",
    "nav_menu_item": "navigation menu item",
    "custom_css": "theme CSS",
    "customize_changeset": "theme settings",
    "oembed_cache": "embed cache",
    "user_request": "privacy request",
    "wp_block": "reusable block",
    "wp_template": "theme template",
    "wp_template_part": "theme template",
    "wp_global_styles": "theme styles",
    "wp_navigation": "navigation menu",
}
ATTACHMENTS_HEADING = {"ko": "첨부파일", "en": "Attachments"}
# New pages are written this many at a time (one transaction each batch).
BATCH_SIZE = 100
# Pages are added to Wagtail's admin search and reference indexes this many
# at a time.
FLUSH_EVERY = 500


class NoSiteStructure(Exception):
    """The news pages to file posts under do not exist."""


@dataclass
class Options:
    language: str | None = None  # "ko" or "en": force; None: detect per post
    mapping: Path | None = None
    dry_run: bool = False
    download: bool = True
    allow_private: bool = False
    max_download_bytes: int = 25_000_000
    timeout: float = 10.0
    batch_size: int = BATCH_SIZE  # 1: a transaction per post


@dataclass
class Scan:
    """What the first pass learnt about the whole file."""

    channel: Channel = field(default_factory=Channel)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    by_parent: dict[int, list[int]] = field(default_factory=dict)
    by_upload: dict[str, int] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)
    posts: int = 0  # items that are not attachments
    error: WxrSyntaxError | None = None


def scan(path: Path, progress: Callable[[int], None] | None = None) -> Scan:
    """First pass: the channel, every attachment, and how many posts follow.
    A broken file is noted, not raised: the second pass imports what comes
    before the break."""
    result = Scan()
    try:
        for item in read(path, result.channel):
            if item.post_type != "attachment":
                result.posts += 1
            elif item.attachment_url or item.guid:
                url = item.attachment_url or item.guid
                attachment = Attachment(
                    wp_id=item.post_id,
                    url=url,
                    parent_id=item.parent_id or None,
                    title=content.clean_title(item.title),
                    caption=content.plain_text(item.excerpt),
                    alt=item.meta.get("_wp_attachment_image_alt", "").strip(),
                    link=item.link,
                )
                if item.post_id is not None:
                    result.attachments[item.post_id] = attachment
                    result.by_upload.setdefault(upload_key(url), item.post_id)
                    if attachment.parent_id:
                        result.by_parent.setdefault(attachment.parent_id, []).append(
                            item.post_id
                        )
                host = urlsplit(url).hostname
                if host:
                    result.hosts.add(host.lower())
            if progress:
                progress(item.line)
    except WxrSyntaxError as exc:
        result.error = exc
    for base in (result.channel.base_site_url, result.channel.base_blog_url):
        host = urlsplit(base).hostname
        if host:
            result.hosts.add(host.lower())
    return result


def _parse_moment(value: str, zone) -> dt.datetime | None:
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def post_moment(item: Item) -> dt.datetime | None:
    """When the post was published: post_date_gmt, else post_date read in
    the portal's time zone (WordPress sites of the ministry run on KST)."""
    return _parse_moment(item.post_date_gmt, dt.UTC) or _parse_moment(
        item.post_date, ZoneInfo(settings.TIME_ZONE)
    )


def old_paths(*urls: str) -> list[str]:
    """The paths (with query) of old links, as the Redirect model stores them."""
    paths = []
    for url in urls:
        if not url:
            continue
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        if path in ("/", ""):
            continue
        normalised = Redirect.normalise_path(path)
        if normalised not in paths and normalised != "/":
            paths.append(normalised)
    return paths


def _fingerprint(values: dict) -> str:
    encoded = json.dumps(
        {"v": FORMAT_VERSION, **values}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


class Importer:
    def __init__(
        self,
        path: Path,
        options: Options,
        mapping: Mapping,
        report: ImportReport,
        scan_result: Scan,
    ):
        self.path = path
        self.options = options
        self.mapping = mapping
        self.report = report
        self.scan = scan_result
        self.channel = scan_result.channel
        self.taxonomy = Taxonomy()
        self.taxonomy.check(mapping)
        self.classifier = Classifier(mapping, self.taxonomy)
        self.media = MediaLibrary(
            download=options.download and not options.dry_run,
            allow_private=options.allow_private,
            max_bytes=options.max_download_bytes,
            timeout=options.timeout,
        )
        report.media = self.media.counts
        self.parents = self._section_parents()
        self.writer = PageWriter(report)
        self.imported: dict[str, dict] = {
            row["guid"]: dict(row)
            for row in ImportedPost.objects.values(
                "guid", "page_id", "fingerprint", "language"
            )
        }
        self.pending: list[Prepared] = []
        self.imported_post_ids: set[int] = set()
        site_language = self.channel.language.lower()[:2]
        self.site_language = site_language if site_language in LANGUAGES else "ko"

    # -- the site ------------------------------------------------------------

    def _section_parents(self) -> dict[tuple[str, str], int]:
        """The section page of each language that posts are filed under."""
        parents: dict[tuple[str, str], int] = {}
        ko_home = HomePage.objects.filter(locale__language_code="ko", depth=2).first()
        if ko_home is None:
            raise NoSiteStructure("there is no Korean home page")
        for language in LANGUAGES:
            home = (
                HomePage.objects.filter(
                    translation_key=ko_home.translation_key,
                    locale__language_code=language,
                ).first()
                if language != "ko"
                else ko_home
            )
            news = home and home.get_children().filter(slug="news").first()
            if news is None:
                raise NoSiteStructure(f"there is no news page in {language}")
            for page in NewsIndexPage.objects.child_of(news).exclude(section=""):
                parents.setdefault((language, page.section), page.pk)
        return parents

    # -- one post ------------------------------------------------------------

    def resolve_upload(self, url: str) -> Media | None:
        """The Media for an upload of the old site, None for other addresses."""
        parts = urlsplit(url)
        if (parts.hostname or "").lower() not in self.scan.hosts:
            return None
        attachment_id = self.scan.by_upload.get(upload_key(url))
        if attachment_id is not None:
            return self.media.get(self.scan.attachments[attachment_id])
        if "/wp-content/uploads/" in parts.path:
            return self.media.get(Attachment(wp_id=None, url=url))
        return None

    def _status(self, item: Item) -> str | None:
        """ "live", "draft", or None when the item is skipped (reported)."""
        status = item.status
        if status in LIVE_STATUSES:
            return "live"
        if status in DRAFT_STATUSES:
            return "draft"
        if status == "private":
            if self.mapping.private == "draft":
                return "draft"
            self.report.skip("private (mapping: private: skip)", item)
            return None
        reasons = {
            "trash": "in the WordPress trash",
            "auto-draft": "auto-draft, never written",
            "inherit": "revision (the current version is imported)",
        }
        self.report.skip(reasons.get(status, f"status '{status}'"), item)
        return None

    def handle(self, item: Item) -> None:
        report = self.report
        report.items[item.post_type or "?"] += 1
        report.comments += item.comments
        if item.post_type == "attachment":
            return
        if item.post_type not in ("post", "page"):
            reason = NOT_CONTENT.get(
                item.post_type, f"post type '{item.post_type}' is not imported"
            )
            report.skip(reason, item)
            return
        if item.post_type == "page" and self.mapping.pages == "skip":
            report.skip("WordPress page (mapping: pages: skip)", item)
            return
        state = self._status(item)
        if state is None:
            return
        try:
            self._import(item, state)
        except Exception as exc:  # noqa: BLE001 — one bad post must not stop the run
            self.writer.forget()
            report.skip(f"failed: {type(exc).__name__}: {exc}"[:300], item)

    def _import(self, item: Item, state: str) -> None:
        report = self.report
        base = self.channel.base_site_url or self.channel.link
        guid = item.guid or (
            f"{base.rstrip('/')}/?p={item.post_id}" if item.post_id is not None else ""
        )
        if not guid:
            report.skip("no GUID and no post id", item)
            return
        title = content.clean_title(item.title)
        slug_source = unquote(item.post_name).removesuffix("__trashed")
        if not title:
            title = slug_source.replace("-", " ").strip()
            if not title:
                report.skip("no title and no slug", item)
                return
        moment = post_moment(item)
        if moment is None:
            value = item.post_date_gmt or item.post_date or "(none)"
            report.skip(f"impossible date {value!r}", item, title)
            return
        body = content.clean_body(item.content)
        language = self.options.language or content.detect_language(
            title + " " + content.plain_text(body)[:2000], self.site_language
        )
        known = self.imported.get(guid)
        if known and known["language"] != language:
            report.skip(
                f"already imported in '{known['language']}', not moved to '{language}'",
                item,
                title,
            )
            return

        author = self.channel.authors.get(item.creator)
        author_name = author.display_name if author and author.display_name else ""
        author_keys = [item.creator, author_name]
        resolved = self.classifier.classify(item.terms, author_keys)
        for kind, name, slug in resolved.unmapped:
            report.unmapped[(kind, name, slug)] += 1
        if item.creator:
            label = f"{author_name} ({item.creator})" if author_name else item.creator
            report.authors[label] += 1
            if not self.classifier.author_mapped(author_keys):
                report.unmapped_authors.add(label)
        section = resolved.section or (
            self.mapping.pages if item.post_type == "page" else ""
        )
        section = section or self.mapping.default_section
        parent_id = self.parents.get((language, section))
        if parent_id is None:
            report.skip(f"no '{section}' section page in the {language} tree", item)
            return

        # Media are fetched before the post's transaction opens: a slow
        # download never holds the database.
        featured = None
        thumbnail_id = _int(item.meta.get("_thumbnail_id"))
        if thumbnail_id in self.scan.attachments:
            featured = self.scan.attachments[thumbnail_id]
        body, used = rewrite(body, self.resolve_upload)
        image_id = None
        photo_credit = ""
        extra: list[tuple[Attachment, Media]] = []
        if featured is not None:
            media = self.media.get(featured)
            if media.kind == "image":
                image_id = media.image_id
                photo_credit = featured.caption[:200]
                used.add(media.url)
            elif media.url not in used:
                extra.append((featured, media))
        attachments = [
            self.scan.attachments[i]
            for i in self.scan.by_parent.get(item.post_id or -1, [])
        ]
        for attachment in attachments:
            if attachment is featured:
                continue
            media = self.media.get(attachment)
            if media.url not in used:
                extra.append((attachment, media))
                used.add(media.url)
        body += self._attachment_list(extra, language)
        summary = content.summary(item.excerpt, body)
        video_url = content.video_url(item.content)

        values = {
            "title": title[:255],
            "slug": slug_source,
            "date": timezone.localtime(moment).date(),
            "moment": moment,
            "summary": summary,
            "body": body,
            "section": section,
            "parent": parent_id,
            "language": language,
            "state": state,
            "image": image_id,
            "photo_credit": photo_credit,
            "video_url": video_url,
            "original_url": item.link[:1000],
            "guid": guid,
            "terms": {
                name: sorted(term.slug for term in getattr(resolved, name))
                for name in TAXONOMY_FIELDS
            },
            "paths": old_paths(
                item.link,
                guid,
                *(attachment.link for attachment in attachments),
            ),
        }
        fingerprint = _fingerprint(values)
        if known and known["fingerprint"] == fingerprint:
            report.unchanged += 1
            self.imported_post_ids.add(item.post_id or -1)
            return
        if any(post.guid == guid for post in self.pending):
            report.skip("the same GUID twice in the file", item, title)
            return
        post = Prepared(
            guid=guid,
            post_id=item.post_id,
            line=item.line,
            wp_status=item.status,
            state=state,
            language=language,
            parent_id=parent_id,
            slug=slug_source,
            author=author_name or item.creator,
            site_url=base,
            values=values,
            resolved=resolved,
            fingerprint=fingerprint,
            known=known,
        )
        if known:
            self.writer.update(post, dry_run=self.options.dry_run)
            self._done([post])
        else:
            self.pending.append(post)
            if len(self.pending) >= max(self.options.batch_size, 1):
                self.write_pending()

    def write_pending(self) -> None:
        """Write the new posts read so far."""
        batch, self.pending = self.pending, []
        self._done(self.writer.create(batch, dry_run=self.options.dry_run))
        if len(self.writer.written) >= FLUSH_EVERY:
            self.writer.flush()

    def _done(self, posts: list[Prepared]) -> None:
        """Count written posts and remember them for the rest of the run."""
        report = self.report
        for post in posts:
            if post.page is None:
                continue
            self.imported_post_ids.add(post.post_id or -1)
            if post.known:
                report.updated += 1
            else:
                report.created += 1
            report.languages[post.language] += 1
            if post.state == "draft":
                report.drafts[post.wp_status] += 1
            if self.options.dry_run:
                continue
            self.imported[post.guid] = {
                "guid": post.guid,
                "page_id": post.page.pk,
                "fingerprint": post.fingerprint,
                "language": post.language,
            }

    def _attachment_list(
        self, extra: list[tuple[Attachment, Media]], language: str
    ) -> str:
        """Attachments the body does not show: images as pictures, the rest
        as links, under a heading."""
        if not extra:
            return ""
        pictures = []
        links = []
        for attachment, media in extra:
            label = html.escape(attachment.title or attachment.url.rsplit("/", 1)[-1])
            if media.kind == "image":
                alt = html.escape(attachment.alt or attachment.title, quote=True)
                pictures.append(
                    f'<embed embedtype="image" id="{media.image_id}" '
                    f'format="fullwidth" alt="{alt}"/>'
                )
            elif media.kind == "document":
                links.append(
                    f'<li><a linktype="document" id="{media.document_id}">{label}</a></li>'
                )
            else:
                href = html.escape(media.href, quote=True)
                links.append(f'<li><a href="{href}">{label}</a></li>')
        out = f"<h2>{ATTACHMENTS_HEADING[language]}</h2>" + "".join(pictures)
        if links:
            out += "<ul>" + "".join(links) + "</ul>"
        return out


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def import_wordpress(
    path: Path,
    options: Options | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Import a WXR file; returns the report. Raises MappingError for a bad
    mapping and NoSiteStructure when the news pages are missing; a file that
    breaks off is imported up to the break and `report.error` says where."""
    options = options or Options()
    path = Path(path)
    started = time.monotonic()
    mapping = load_mapping(options.mapping)
    report = ImportReport(file=path.name, dry_run=options.dry_run)
    if not Topic.objects.exists() and not options.dry_run:
        from scis.taxonomy.services import load_taxonomy

        load_taxonomy()
    if not options.dry_run:
        from scis.home.structure import ensure_site_structure

        ensure_site_structure()

    first = scan(
        path, progress=(lambda line: progress("scan", line, 0)) if progress else None
    )
    report.site = first.channel.base_site_url or first.channel.link
    report.wxr_version = first.channel.wxr_version
    importer = Importer(path, options, mapping, report, first)
    done = 0
    loop_started = time.monotonic()
    try:
        with _indexes_deferred():
            try:
                for item in read(path, Channel()):
                    importer.handle(item)
                    if item.post_type != "attachment":
                        done += 1
                        if progress:
                            progress("import", done, first.posts)
            finally:
                # Whatever stopped the loop, what was read is written.
                importer.write_pending()
                importer.writer.flush()
    except WxrSyntaxError as exc:
        report.error = f"not well-formed XML at line {exc.line}: {exc.message}"
        report.error_line = exc.line
    finally:
        importer.media.close()
    report.loop_seconds = time.monotonic() - loop_started
    report.unattached = sum(
        1
        for attachment in first.attachments.values()
        if attachment.parent_id
        and attachment.parent_id not in importer.imported_post_ids
    )
    report.index_seconds = importer.writer.index_seconds
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def _indexes_deferred():
    """Wagtail updates its admin search index and its reference index on
    every save (three saves a page), and the portal queues a search index
    task on every publish; the import does each once a page, in bulk
    (writer.py)."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from scis.search.signals import indexing_paused

    try:
        from modelsearch.signal_handlers import post_save_signal_handler
    except ImportError:  # an older Wagtail with its own search module
        post_save_signal_handler = None
    disconnected = post_save_signal_handler is not None and post_save.disconnect(
        post_save_signal_handler, sender=NewsPage
    )
    try:
        with disable_reference_index_auto_update(), indexing_paused():
            yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=NewsPage)
