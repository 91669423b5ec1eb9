"""What the WordPress import remembers between runs, so a rerun updates
instead of duplicating: one row per imported post and per fetched file."""

from django.db import models
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string


class ImportedPost(models.Model):
    """A WordPress post or page and the SCIS page it became."""

    guid = models.CharField(
        max_length=500,
        unique=True,
        help_text="The post's <guid>, or site URL + ?p=<post id> when it has none.",
    )
    wp_post_id = models.PositiveBigIntegerField(null=True, blank=True)
    site_url = models.CharField(max_length=500, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    wp_status = models.CharField(max_length=20)
    author = models.CharField(
        max_length=200, blank=True, help_text="Display name of the WordPress author."
    )
    # Hash of everything the import wrote; equal on a rerun means "unchanged".
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress post"

    def __str__(self) -> str:
        return self.guid


class ImportedMedia(models.Model):
    """A WordPress upload fetched into the Wagtail image or document library."""

    url = models.CharField(max_length=1000, unique=True)
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "imported WordPress file"
        verbose_name_plural = "imported WordPress files"

    def __str__(self) -> str:
        return self.url
