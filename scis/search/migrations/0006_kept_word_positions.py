"""Positions of common words beside their kept postings (PostgreSQL), so
quoted phrases of common words are matched without reading each candidate's
vector. Snapshots taken before have none: their phrases are read from the
engine, as before, until the scheduler's next refresh (or
`refresh_search_postings`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("portal_search", "0005_common_word_postings"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchpostings",
            name="counts",
            field=models.BinaryField(
                default=b"", help_text="How many positions each page has, uint16."
            ),
        ),
        migrations.AddField(
            model_name="searchpostings",
            name="positions",
            field=models.BinaryField(
                default=b"", help_text="The positions, page after page, uint16."
            ),
        ),
    ]
