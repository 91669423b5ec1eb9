"""The search index: one document per record per reading language.

A document holds the record's text as readers see it (for snippets) and, in
the database engine's own full-text structure, the analyzed terms: an FTS5
table on SQLite, a `tsvector` column with a GIN index on PostgreSQL (see
engines/). Documents follow the listing catalogue: a record listed in a
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


class SearchSnapshot(models.Model):
    """When one language's postings (below) were taken: they cover every
    document of that language up to `last_document`; documents indexed
    since are read from RecentPosting (see postings.py)."""

    language = models.CharField(max_length=8, unique=True)
    # Which SearchPostings rows are this snapshot's (a refresh writes the
    # next generation beside the current one, then switches).
    generation = models.PositiveIntegerField()
    last_document = models.BigIntegerField()
    taken = models.DateTimeField()
    # SQLite only: the index's average document length (in terms) when the
    # postings were read, which BM25 weights of newer documents must share.
    average_length = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.language} postings up to document {self.last_document}"


class SearchPostings(models.Model):
    """A common word's documents in one language and the word's weight in
    each, read from the engine once and kept: a search reads the engine for
    this word only among documents indexed since (postings.py)."""

    language = models.CharField(max_length=8)
    generation = models.PositiveIntegerField()
    term = models.CharField(max_length=200)
    pages = models.BinaryField(help_text="Page ids, int32.")
    weights = models.BinaryField(help_text="The word's weight per page, float32.")
    # PostgreSQL only (empty on SQLite, whose phrase queries read FTS5's own
    # position lists fast): where the word stands in each page's vector, so
    # a phrase of common words is matched without reading the vectors.
    counts = models.BinaryField(
        default=b"", help_text="How many positions each page has, uint16."
    )
    positions = models.BinaryField(
        default=b"", help_text="The positions, page after page, uint16."
    )
    # SQLite only: the word's BM25 idf when read, for newer documents.
    idf = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "generation", "term"],
                name="one_postings_per_term",
            )
        ]


class RecentPosting(models.Model):
    """A common word's weight in a document indexed after the postings were
    taken: added when the document is indexed, dropped once a new snapshot
    covers it."""

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=200)
    page_id = models.IntegerField()
    document_id = models.BigIntegerField()
    weight = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["language", "term"], name="recent_posting_by_term")
        ]
