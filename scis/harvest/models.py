"""Harvesting, in CKAN's model (STYLE.md): a Source is run by Jobs; each run
gathers item identifiers, fetches them and imports them as Items, the
candidates an editor finds in the inbox. What went wrong is kept per source,
stage and item as a JobError. Each fetched original is kept as a WARC record
(a Snapshot); near-duplicates are found through MinHash bands (ItemBand)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A place that publishes: a feed, a sitemap, a bulletin board, an
    OAI-PMH repository or a JSON API."""

    class Kind(models.TextChoices):
        RSS = "rss", _("RSS or Atom feed")
        SITEMAP = "sitemap", _("sitemap.xml")
        LISTING = "listing", _("HTML listing page (bulletin board)")
        OAI = "oai", _("OAI-PMH repository")
        JSON = "json", _("JSON API")

    class Target(models.TextChoices):
        NEWS = "news", _("news item")
        LITERATURE = "literature", _("literature")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=1000)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("ko", _("Korean")), ("en", _("English"))],
        help_text=_("Leave empty to detect the language of each item."),
    )
    active = models.BooleanField(_("active"), default=True)
    allow_private = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_(
            "Let this source reach loopback and private network addresses "
            "(an intranet server). Link-local addresses stay refused."
        ),
    )
    schedule_minutes = models.PositiveIntegerField(
        _("run every (minutes)"), default=360
    )
    config = models.JSONField(
        _("settings for its kind"),
        default=dict,
        blank=True,
        help_text=_(
            "CSS selectors for a listing page, field mapping for a JSON API, "
            "metadata prefix and set for OAI-PMH; see docs/harvest.md."
        ),
    )
    target = models.CharField(
        _("records become"), max_length=20, choices=Target.choices, default="news"
    )
    section = models.CharField(
        _("default news section"),
        max_length=20,
        blank=True,
        choices=[
            ("issue", _("Smart City Issue")),
            ("policy-project", _("Policy Project")),
            ("policy-trend", _("Policy Trend")),
            ("special", _("Special")),
        ],
    )
    organisation = models.ForeignKey(
        "taxonomy.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default organisation"),
    )
    region = models.ForeignKey(
        "taxonomy.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default region"),
    )
    programme = models.ForeignKey(
        "taxonomy.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default programme"),
    )
    topics = models.ManyToManyField(
        "taxonomy.Topic", blank=True, related_name="+", verbose_name=_("default topics")
    )
    rules = models.JSONField(
        _("classification rules"),
        default=list,
        blank=True,
        help_text=_(
            'A list such as [{"contains": "자율주행", "topic": "transport"}]; '
            "see docs/harvest.md."
        ),
    )

    # Conditional GET of the gather URL (a feed that did not change).
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    # Health: read by the scheduler, the health view and the failure alert.
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")

    def __str__(self) -> str:
        return self.name

    def schedule_next_run(self, now=None, delay: timedelta | None = None) -> None:
        """Set the next run one schedule interval (or `delay`) from now."""
        now = now or timezone.now()
        self.next_run_at = now + (delay or timedelta(minutes=self.schedule_minutes))


class Job(models.Model):
    """One harvest run of one source."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        TIMED_OUT = "timed-out", _("timed out")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    trigger = models.CharField(max_length=20, default="schedule")
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("harvest job")
        verbose_name_plural = _("harvest jobs")

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} ({self.status})"

    def summary_line(self) -> str:
        """The line `harvest` ends with (DESIGN.md §6)."""
        return (
            f"harvested: new={self.new} updated={self.updated} "
            f"unchanged={self.unchanged} duplicates={self.duplicates} "
            f"errors={self.errors}"
        )


class Item(models.Model):
    """One thing a source published: a candidate until an editor decides."""

    class State(models.TextChoices):
        NEW = "new", _("new")
        DUPLICATE = "duplicate", _("duplicate")
        ACCEPTED = "accepted", _("accepted")
        MERGED = "merged", _("merged")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("could not be read")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(_("identifier at the source"), max_length=500)
    url = models.URLField(_("original URL"), max_length=1000, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(_("body (sanitised HTML)"), blank=True)
    text = models.TextField(_("plain text"), blank=True)
    authors = models.JSONField(default=list, blank=True)
    images = models.JSONField(default=list, blank=True)
    # What gather saw (feed entry, listing row, OAI record, JSON object), so
    # import can run again without fetching; the page itself is in the WARC.
    entry = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    minhash = models.BinaryField(null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.NEW,
        db_index=True,
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    similarity = models.FloatField(null=True, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("record"),
        help_text=_("The record this item became, was merged into, or repeats."),
    )
    # {"section": "...", "organisations": [pk], "regions": [pk],
    #  "programmes": [pk], "topics": [pk], "reasons": ["..."]}
    suggestion = models.JSONField(_("suggested classification"), default=dict)

    first_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(
        _("gone from the source"), null=True, blank=True, db_index=True
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_failures = models.PositiveSmallIntegerField(default=0)
    original_gone_at = models.DateTimeField(
        _("original no longer online"), null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        verbose_name = _("harvested item")
        verbose_name_plural = _("harvested items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"], name="one_item_per_source_guid"
            )
        ]
        indexes = [
            models.Index(fields=["state", "-first_seen_at"], name="inbox_by_state"),
            models.Index(fields=["page"], name="item_by_page"),
            # Duplicates: the same GUID at another source.
            models.Index(fields=["guid"], name="item_by_guid"),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_candidate(self) -> bool:
        return self.state in (self.State.NEW, self.State.DUPLICATE)


class ItemBand(models.Model):
    """One band of an item's MinHash signature: items sharing any band are
    near-duplicate candidates (locality-sensitive hashing kept in the
    database, so it works across runs and processes)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hash", "band"], name="band_lookup")]


class Snapshot(models.Model):
    """A fetched original kept as a WARC response record: `offset` and
    `length` locate it in `warc_file` (relative to MEDIA_ROOT)."""

    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(max_length=1000)
    captured_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    warc_file = models.CharField(max_length=300)
    offset = models.BigIntegerField()
    length = models.BigIntegerField()
    payload_digest = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-captured_at", "-pk"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")


class JobError(models.Model):
    """Something that went wrong, per source, stage and item."""

    class Stage(models.TextChoices):
        GATHER = "gather", _("gather")
        FETCH = "fetch", _("fetch")
        IMPORT = "import", _("import")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="errors")
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.CASCADE, related_name="error_rows"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="errors"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    url = models.URLField(max_length=1000, blank=True)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("harvest error")
        verbose_name_plural = _("harvest errors")

    def __str__(self) -> str:
        return f"{self.stage}: {self.message[:80]}"
