"""Taxonomies are data: regions, organisations, programmes and topics are rows
loaded from `data/*.json`, each named in Korean and English."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """A term named in both portal languages; `name` follows the active one."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "ko").startswith("en"):
            return self.name_en or self.name_ko
        return self.name_ko or self.name_en

    def __str__(self) -> str:
        return self.name


class Region(BilingualNameMixin):
    class Level(models.TextChoices):
        PROVINCE = "province", _("province or metropolitan city")
        MUNICIPALITY = "municipality", _("municipality")

    slug = models.SlugField(unique=True)
    code = models.CharField(
        _("administrative code"),
        max_length=10,
        unique=True,
        help_text=_(
            "Official administrative code: 2 digits for a province, 5 for a municipality."
        ),
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Organisation(BilingualNameMixin):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        COMMITTEE = "committee", _("committee")
        AGENCY = "agency", _("agency")
        INSTITUTE = "institute", _("research institute")
        LOCAL_GOVERNMENT = "local-government", _("local government")
        COMPANY = "company", _("company")
        SPC = "spc", _("special purpose company")
        UNIVERSITY = "university", _("university or foundation")
        ASSOCIATION = "association", _("association")
        VENUE = "venue", _("venue")

    slug = models.SlugField(unique=True)
    abbreviation = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class Programme(BilingualNameMixin):
    slug = models.SlugField(unique=True)
    description_ko = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    lead = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured = models.BooleanField(
        default=False, help_text=_("Shown as the featured programme on the home page.")
    )

    class Meta:
        ordering = ["start_year", "name_ko"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def description(self) -> str:
        if (get_language() or "ko").startswith("en"):
            return self.description_en or self.description_ko
        return self.description_ko or self.description_en


class Topic(BilingualNameMixin):
    slug = models.SlugField(unique=True)
    description_ko = models.CharField(max_length=300, blank=True)
    description_en = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
