"""The monthly newsletter: subscribers, issues and the per-recipient send log.

An issue is a Wagtail page written in Korean and translated with
wagtail-localize; each subscriber receives the edition in their language.
The send log (`Delivery`) has one row per issue and subscriber, which is what
makes a send resumable and never twice to the same address."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BasePage


class NewsletterSection(models.TextChoices):
    """The sections of an issue, in the order the old issues used."""

    ISSUE = "issue", _("Smart City Issue")
    POLICY_PROJECT = "policy-project", _("Smart City Policy Project")
    POLICY_TREND = "policy-trend", _("Smart City Policy Trend")
    SPECIAL = "special", _("Smart City Special")
    LITERATURE = "literature", _("Smart City Literature")
    NEWS = "news", _("Smart City News")


class SubscriberLanguage(models.TextChoices):
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")


class Subscriber(models.Model):
    """One address. Confirming the double opt-in records the consent time;
    a hard bounce or a complaint suppresses the address for good."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=SubscriberLanguage.choices,
        default=SubscriberLanguage.KOREAN,
    )
    sections = models.JSONField(
        _("sections of interest"),
        default=list,
        blank=True,
        help_text=_("Empty: every section."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("consent given"), null=True, blank=True, help_text=_("Double opt-in time.")
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)
    suppression_reason = models.CharField(
        _("suppression reason"),
        max_length=200,
        blank=True,
        help_text=_("Hard bounce or complaint: no issue is sent to this address."),
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def receives_issues(self) -> bool:
        return self.status == self.Status.ACTIVE and self.suppressed_at is None


class NewsletterIndexPage(RoutablePageMixin, BasePage):
    """The web archive of every issue, at /newsletter/ (and /en/newsletter/)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsletter archive page")

    def get_context(self, request, *args, **kwargs):
        from .contents import archive_issues

        context = super().get_context(request, *args, **kwargs)
        context["issues"] = archive_issues(self.locale.language_code)
        return context


class RecordItemBlock(blocks.StructBlock):
    record = blocks.PageChooserBlock(
        label=_("record"),
        page_type=[
            "news.NewsPage",
            "library.LiteraturePage",
            "library.DocumentPage",
            "events.EventPage",
            "projects.ProjectPage",
            "projects.ProgrammePage",
            "projects.PolicyPage",
        ],
    )
    summary = blocks.TextBlock(
        label=_("shorter summary"),
        required=False,
        help_text=_("Empty: the record's own summary."),
    )

    class Meta:
        icon = "doc-full"


class SectionBlock(blocks.StructBlock):
    section = blocks.ChoiceBlock(choices=NewsletterSection.choices, label=_("section"))
    items = blocks.ListBlock(RecordItemBlock(), label=_("items"))

    class Meta:
        icon = "list-ul"


def next_issue_number() -> int:
    """The number a new issue gets by default: one more than the highest."""
    highest = NewsletterIssuePage.objects.aggregate(models.Max("number"))
    return (highest["number__max"] or 0) + 1


class NewsletterIssuePage(BasePage):
    """One monthly issue. The slug is its number, so the issue lives at
    /newsletter/<number>/."""

    number = models.PositiveIntegerField(
        _("number"), db_index=True, default=next_issue_number
    )
    issue_date = models.DateField(_("issue date"), default=timezone.localdate)
    introduction = models.TextField(_("introduction"), blank=True)
    sections = StreamField(
        [("section", SectionBlock())], blank=True, verbose_name=_("sections")
    )
    send_at = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("The scheduler sends the issue to subscribers at this time."),
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("issue_date"), FieldPanel("send_at")],
            heading=_("Issue"),
        ),
        FieldPanel("introduction"),
        FieldPanel("sections"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    override_translatable_fields = [
        SynchronizedField("number"),
        SynchronizedField("issue_date"),
        SynchronizedField("send_at"),
    ]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []
    # The e-mail as subscribers of the page's language get it (editions.py).
    preview_modes = [
        ("", _("Web page")),
        ("email", _("E-mail (HTML)")),
        ("email-text", _("E-mail (plain text)")),
    ]

    class Meta:
        verbose_name = _("newsletter issue")
        ordering = ["-number"]

    def get_context(self, request, *args, **kwargs):
        from .contents import issue_contents

        context = super().get_context(request, *args, **kwargs)
        context["contents"] = issue_contents(self, self.locale.language_code)
        return context

    def serve_preview(self, request, mode_name):
        if mode_name in ("email", "email-text"):
            from .editions import preview_email

            return preview_email(self, mode_name, getattr(request.user, "email", ""))
        return super().serve_preview(request, mode_name)

    def full_clean(self, *args, **kwargs):
        # The number is the address: /newsletter/49/. Set before Wagtail
        # validates the slug, so a title-based slug never sticks.
        if self.number:
            self.slug = str(self.number)
        super().full_clean(*args, **kwargs)

    def clean(self):
        # Checked before Wagtail's own slug check, which would otherwise
        # report the same clash as a confusing "slug in use".
        taken = (
            NewsletterIssuePage.objects.filter(
                number=self.number, locale=self.locale_id
            )
            .exclude(pk=self.pk)
            .exists()
        )
        if self.number and taken:
            raise ValidationError(
                {
                    "number": _(
                        "Issue No. %(number)s already exists: choose another number."
                    )
                    % {"number": self.number}
                }
            )
        super().clean()


class Delivery(models.Model):
    """One issue to one subscriber: the send log. The unique pair is what
    keeps a rerun or a second worker from sending an issue twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        # The subscriber unsubscribed or was suppressed after the row was made.
        SKIPPED = "skipped", _("skipped")

    issue = models.ForeignKey(
        NewsletterIssuePage, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    language = models.CharField(max_length=2, choices=SubscriberLanguage.choices)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The batch holding the row while it is SENDING (sending.py): after a
    # crash it tells which one message of the batch may have been handed over.
    claim = models.CharField(max_length=32, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["issue", "state"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}: {self.state}"
