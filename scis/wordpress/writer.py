"""Writing imported posts as Wagtail pages.

New pages are written in batches: Wagtail's add_child → save_revision →
publish costs about ninety queries a page, far from the 200 posts a second
an archive of years needs. A batch writes the same rows — pages, revisions,
taxonomy links, log entries, listing catalogue rows, redirects, import
records — with a handful of bulk statements in one transaction. If anything
in it fails, the batch is rolled back and its posts are written again one
transaction each, so one bad post never takes another with it, and a run
that stops leaves whole posts only (a rerun writes the rest).

What Wagtail's save and publish signals would do besides is done in bulk
too: the admin search index and the reference index in `flush`, and one
search index task per published record once its batch is committed.

Changed posts take Wagtail's ordinary path (a new revision, published or
unpublished), which sends every signal as an editor's change would."""

import time
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, PageLogEntry, PageViewRestriction, Revision
from wagtail.models.pages import COMMENTS_RELATION_NAME

from scis.core.catalogue import list_new_records
from scis.core.models import Provenance
from scis.news.models import NewsPage

from .mapping import Resolved
from .models import ImportedPost

TAXONOMY_FIELDS = ("topics", "regions", "programmes", "organisations")


@dataclass
class Prepared:
    """One post, read and mapped, ready to be written."""

    guid: str
    post_id: int | None
    line: int
    wp_status: str
    state: str  # "live" or "draft"
    language: str
    parent_id: int
    slug: str
    author: str
    site_url: str
    values: dict
    resolved: Resolved
    fingerprint: str
    known: dict | None = None  # the ImportedPost row of an earlier run
    page: NewsPage | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return self.values["title"]


class PageWriter:
    def __init__(self, report):
        self.report = report
        self._content_types = {
            "news": ContentType.objects.get_for_model(NewsPage).pk,
            "page": ContentType.objects.get_for_model(Page).pk,
        }
        self._through = {}
        for name in TAXONOMY_FIELDS:
            relation = NewsPage._meta.get_field(name)
            self._through[name] = (
                relation.remote_field.through,
                relation.m2m_field_name() + "_id",
                relation.m2m_reverse_field_name() + "_id",
            )
        self._locales = {
            locale.language_code: locale for locale in Locale.objects.all()
        }
        self._parents: dict[int, Page] = {}
        self._slugs: dict[int, set[str]] = {}
        self._last_child: dict[int, str] = {}
        self._public: dict[int, bool] = {}
        self._redirects: dict[str, int | None] | None = None
        self.written: list[NewsPage] = []  # since the last flush
        self._updated: set[int] = set()  # pages whose references may have gone
        self.index_seconds = 0.0  # spent queueing (or, inline, doing) search

    # -- the tree ------------------------------------------------------------

    def forget(self) -> None:
        """After a rollback, what was cached about the tree may be wrong."""
        self._parents.clear()
        self._slugs.clear()
        self._last_child.clear()
        self._redirects = None

    def _parent(self, page_id: int) -> Page:
        page = self._parents.get(page_id)
        if page is None:
            page = Page.objects.get(pk=page_id)
            self._parents[page_id] = page
        return page

    def _free_slug(self, parent: Page, wanted: str) -> str:
        taken = self._slugs.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self._slugs[parent.pk] = taken
        slug, number = wanted, 1
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = wanted[: 255 - len(suffix)] + suffix
        taken.add(slug)
        return slug

    def _next_path(self, parent: Page) -> str:
        """The tree path of a new last child (treebeard's materialised path),
        without asking the database each time."""
        if parent.pk in self._last_child:
            last = self._last_child[parent.pk]
        else:
            last = (
                Page.objects.filter(
                    path__startswith=parent.path, depth=parent.depth + 1
                )
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            ) or ""
        step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        path = Page._get_path(parent.path, parent.depth + 1, step)
        self._last_child[parent.pk] = path
        return path

    def _listed(self, parent: Page) -> bool:
        """Whether pages under `parent` are public (no view restriction
        above them), hence listed in the catalogue; asked once a section."""
        if parent.pk not in self._public:
            ancestors = [parent.path[:i] for i in range(4, len(parent.path) + 1, 4)]
            self._public[parent.pk] = not PageViewRestriction.objects.filter(
                page__path__in=ancestors
            ).exists()
        return self._public[parent.pk]

    # -- new pages -----------------------------------------------------------

    def create(self, batch: list[Prepared], *, dry_run: bool = False) -> list[Prepared]:
        """Write new pages; returns the posts written. A batch that fails is
        written again post by post; a post that still fails is reported."""
        if not batch:
            return []
        try:
            with transaction.atomic():
                self._create_all(batch)
                if dry_run:
                    transaction.set_rollback(True)
        except Exception:  # noqa: BLE001 — isolate the post that breaks it
            self.forget()
            if len(batch) == 1:
                raise
            written = []
            for post in batch:
                try:
                    written += self.create([post], dry_run=dry_run)
                except Exception as exc:  # noqa: BLE001
                    self.forget()
                    self.report.skip(
                        f"failed: {type(exc).__name__}: {exc}"[:300],
                        title=post.title,
                        post_id=post.post_id,
                        line=post.line,
                    )
            return written
        if dry_run:
            self.forget()
        else:
            self.written += [post.page for post in batch if post.page is not None]
        return batch

    def _new_page(self, post: Prepared, now) -> NewsPage:
        parent = self._parent(post.parent_id)
        values = post.values
        wanted = slugify(post.slug, allow_unicode=True) or slugify(
            values["title"], allow_unicode=True
        )
        wanted = (wanted or f"post-{post.post_id}")[:200].strip("-")
        slug = self._free_slug(parent, wanted)
        live = post.state == "live"
        page = NewsPage(
            slug=slug,
            locale=self._locales[post.language],
            path=self._next_path(parent),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            live=live,
            has_unpublished_changes=not live,
            first_published_at=values["moment"] if live else None,
            last_published_at=now if live else None,
            latest_revision_created_at=now,
            content_type_id=self._content_types["news"],
        )
        fill(page, values, post.resolved)
        # A new page has no comments and is about no project yet; saying so
        # spares the revision two queries.
        setattr(page, COMMENTS_RELATION_NAME, [])
        page.projects = []
        return page

    def _create_all(self, batch: list[Prepared]) -> None:
        now = timezone.now()
        pages: list[NewsPage] = []
        for post in batch:
            post.page = self._new_page(post, now)
            pages.append(post.page)
        # The base rows in one statement (ids come back), then the news rows.
        Page.objects.bulk_create(pages)
        for page in pages:
            page.page_ptr_id = page.id
        _insert_rows(NewsPage, pages)
        children: dict[int, int] = {}
        for post in batch:
            children[post.parent_id] = children.get(post.parent_id, 0) + 1
        for parent_id, count in children.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)
        for name in TAXONOMY_FIELDS:
            through, own, other = self._through[name]
            through.objects.bulk_create(
                [
                    through(**{own: page.pk, other: term.pk})
                    for page in pages
                    for term in getattr(page, name).all()
                ]
            )
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type_id=self._content_types["news"],
                    base_content_type_id=self._content_types["page"],
                    object_id=str(page.pk),
                    created_at=now,
                    content=page.serializable_data(),
                    object_str=page.title,
                )
                for page in pages
            ]
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = revision
            page.live_revision = revision if page.live else None
        _point_at_revisions(pages)
        logs = []
        for page in pages:
            actions = [("wagtail.create", None)]
            if page.live:
                actions.append(("wagtail.publish", page.live_revision))
            logs += [
                PageLogEntry(
                    content_type_id=self._content_types["news"],
                    label=page.title,
                    action=action,
                    timestamp=now,
                    data={},
                    page_id=page.pk,
                    revision=revision,
                    content_changed=True,
                )
                for action, revision in actions
            ]
        PageLogEntry.objects.bulk_create(logs)
        listed = [
            page
            for post, page in zip(batch, pages, strict=True)
            if page.live and self._listed(self._parent(post.parent_id))
        ]
        list_new_records(listed)
        # The portal's search index follows the catalogue through the task
        # queue once the batch is committed, as after any publish.
        keys = [str(page.translation_key) for page in listed]
        if keys:
            transaction.on_commit(partial(self._queue_index, keys))
        self._redirect(batch)
        ImportedPost.objects.bulk_create(
            [
                ImportedPost(guid=post.guid, page=page, **record_fields(post))
                for post, page in zip(batch, pages, strict=True)
            ]
        )

    # -- changed pages -------------------------------------------------------

    def update(self, post: Prepared, *, dry_run: bool = False) -> None:
        """A new revision of an imported page, published, or unpublished
        when the post went back to draft, through Wagtail's own API."""
        page_id = (post.known or {})["page_id"]
        with transaction.atomic():
            page = NewsPage.objects.get(pk=page_id)
            was_live = page.live
            parent = self._parent(post.parent_id)
            if page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
                # Its section changed: file it under the new section page.
                slug = self._free_slug(parent, page.slug)
                if slug != page.slug:
                    page.slug = slug
                    page.save(update_fields=["slug"], clean=False)
                page.move(parent, pos="last-child")
                page = NewsPage.objects.get(pk=page.pk)
                self.forget()
            fill(page, post.values, post.resolved)
            revision = page.save_revision(log_action=True)
            if post.state == "live":
                revision.publish()
            elif was_live:
                page.unpublish()
            if post.state == "live" or was_live:
                key = str(page.translation_key)
                transaction.on_commit(partial(self._queue_index, [key]))
            post.page = page
            self._redirect([post])
            ImportedPost.objects.filter(guid=post.guid).update(
                page=page, **record_fields(post)
            )
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            self.forget()
        else:
            self.written.append(page)
            self._updated.add(page.pk)

    def _queue_index(self, keys: list[str]) -> None:
        """One search index task per record, like publishing queues (with a
        task backend that runs tasks inline, the indexing happens here)."""
        from scis.search.tasks import update_record_index

        started = time.monotonic()
        for key in keys:
            update_record_index.enqueue(key)
        self.index_seconds += time.monotonic() - started

    # -- old links -----------------------------------------------------------

    def _redirect(self, posts: list[Prepared]) -> None:
        """Old links of published posts answer with a 301 to the page; never
        two redirects for one path. Drafts and private posts get none: their
        links were never public, and a redirect would reveal the page's
        address (a rerun adds them once the post is published)."""
        report = self.report
        posts = [post for post in posts if post.state == "live"]
        if not posts:
            return
        if self._redirects is None:
            # Every site-wide redirect, read once: old path → target page.
            self._redirects = dict(
                Redirect.objects.filter(site=None).values_list(
                    "old_path", "redirect_page_id"
                )
            )
        new = []
        for post in posts:
            page = post.page
            if page is None:
                continue
            for path in post.values["paths"]:
                if len(path) > 255:
                    report.redirect_conflicts.append(
                        (path[:80] + "…", "longer than 255 characters, no redirect")
                    )
                elif path not in self._redirects:
                    new.append(
                        Redirect(
                            old_path=path,
                            site=None,
                            redirect_page=page,
                            is_permanent=True,
                        )
                    )
                    self._redirects[path] = page.pk
                elif self._redirects[path] == page.pk:
                    report.redirects_kept += 1
                else:
                    target = self._redirects[path]
                    report.redirect_conflicts.append(
                        (path, f"already redirects to page {target or '(a URL)'}")
                    )
        Redirect.objects.bulk_create(new)
        report.redirects_created += len(new)

    # -- Wagtail's own indexes -----------------------------------------------

    def flush(self) -> None:
        """Bring Wagtail's indexes up to date for the pages written since the
        last flush: the admin search index in bulk, and the reference index
        (which page uses which image or document) for pages with media."""
        pages, self.written = self.written, []
        if not pages:
            return
        from wagtail.models import ReferenceIndex
        from wagtail.search.backends import get_search_backends

        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(NewsPage, pages)
        for page in pages:
            # A new page without media refers to nothing: no index rows.
            if (
                page.pk in self._updated
                or page.image_id
                or "<embed" in page.body
                or "linktype=" in page.body
            ):
                ReferenceIndex.create_or_update_for_object(page)
        self._updated.clear()


def fill(page: NewsPage, values: dict, resolved: Resolved) -> None:
    """Set a page's fields from a prepared post."""
    page.title = values["title"]
    page.draft_title = values["title"]
    page.date = values["date"]
    page.section = values["section"]
    page.summary = values["summary"]
    page.search_description = values["summary"]
    page.body = values["body"]
    page.image_id = values["image"]
    page.photo_credit = values["photo_credit"]
    page.video_url = values["video_url"]
    page.provenance = Provenance.IMPORTED
    page.original_url = values["original_url"]
    page.source_id = values["guid"][:500]
    for name in TAXONOMY_FIELDS:
        setattr(page, name, getattr(resolved, name))


def record_fields(post: Prepared) -> dict:
    return {
        "wp_post_id": post.post_id,
        "site_url": post.site_url[:500],
        "language": post.language,
        "wp_status": post.wp_status,
        "author": post.author[:200],
        "fingerprint": post.fingerprint,
    }


def _insert_rows(model, objects: list) -> None:
    """INSERT the rows of a multi-table-inheritance child model (which
    Django's bulk_create refuses) for objects whose parent rows exist."""
    fields = list(model._meta.local_concrete_fields)
    quote = connection.ops.quote_name
    # Table and column names come from the model, values go as parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _point_at_revisions(pages: list[NewsPage]) -> None:
    """Set the pages' latest and live revision (bulk_update's CASE
    expression costs more than the rows)."""
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Page._meta.db_table)} "  # noqa: S608 — names from the model
        f"SET {quote('latest_revision_id')} = %s, {quote('live_revision_id')} = %s "
        f"WHERE {quote('id')} = %s"
    )
    rows = [(page.latest_revision_id, page.live_revision_id, page.pk) for page in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
