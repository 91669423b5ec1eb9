"""The search index: one document per record per reading language.

A document holds the record's text as readers see it (for snippets) and, in
the database engine's own full-text structure, the analyzed terms: an FTS5
table on SQLite, a `tsvector` column with a GIN index on PostgreSQL (see
engines.py). Documents follow the listing catalogue: a record listed in a
language it is not written in (a fallback) is searched there in its own text.
"""

from django.db import models


class SearchDocument(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    record_type = models.CharField(max_length=30)
    date = models.DateField()
    title = models.CharField(max_length=500)
    text = models.TextField(
        blank=True, help_text="Summary and body as shown in snippets."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_search_document_per_language"
            )
        ]
        indexes = [models.Index(fields=["language", "date"], name="search_by_date")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class SearchTerm(models.Model):
    """Words of the index with how many documents hold them: the vocabulary
    that spelling suggestions are drawn from. Refreshed from the engine's own
    statistics after indexing (see suggest.py)."""

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=100)
    documents = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "term"], name="one_search_term_per_language"
            )
        ]
