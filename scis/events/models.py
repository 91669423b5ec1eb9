"""Events: conferences, expos, forums and webinars."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from scis.core.models import BaseIndexPage, RecordPage


class EventIndexPage(BaseIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event index page")

    def listed_models(self):
        return [EventPage]


class EventMode(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventPage(RecordPage):
    """An event; `date` is the day it starts, kept equal to `start`."""

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    mode = models.CharField(
        _("format"), max_length=10, choices=EventMode.choices, default=EventMode.OFFLINE
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    registration_url = models.URLField(_("registration URL"), blank=True)
    body = RichTextField(_("description"), blank=True)

    record_type_label = _("Event")

    content_panels = RecordPage.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("mode"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("organiser"),
                FieldPanel("contact"),
                FieldPanel("registration_url"),
            ],
            heading=_("Venue and registration"),
        ),
        *RecordPage.classification_panels,
    ]
    search_fields = RecordPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("venue"),
        index.SearchField("organiser"),
        index.FilterField("start"),
    ]
    override_translatable_fields = RecordPage.override_translatable_fields + [
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("mode"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
        SynchronizedField("contact"),
        SynchronizedField("registration_url"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def full_clean(self, *args, **kwargs):
        from django.utils import timezone

        if self.start:
            self.date = timezone.localtime(self.start).date()
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})

    @property
    def is_upcoming(self) -> bool:
        from django.utils import timezone

        return self.end >= timezone.now()
