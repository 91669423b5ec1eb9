"""Postings of common words, kept beside the engine (postings.py), and on
SQLite the fts5vocab table that says which words are common. An existing
index gets its postings from the scheduler's next run (or from
`refresh_search_postings`); until then searches read the engine alone, as
before."""

from django.db import migrations, models

VOCABULARY = (
    "CREATE VIRTUAL TABLE portal_search_fts_terms "
    "USING fts5vocab(portal_search_fts, 'row')"
)


def create_vocabulary(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(VOCABULARY)


def drop_vocabulary(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS portal_search_fts_terms")


class Migration(migrations.Migration):

    dependencies = [
        ('portal_search', '0004_index_compound_phrases'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8, unique=True)),
                ('generation', models.PositiveIntegerField()),
                ('last_document', models.BigIntegerField()),
                ('taken', models.DateTimeField()),
                ('average_length', models.FloatField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='RecentPosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8)),
                ('term', models.CharField(max_length=200)),
                ('page_id', models.IntegerField()),
                ('document_id', models.BigIntegerField()),
                ('weight', models.FloatField()),
            ],
            options={
                'indexes': [models.Index(fields=['language', 'term'], name='recent_posting_by_term')],
            },
        ),
        migrations.CreateModel(
            name='SearchPostings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8)),
                ('generation', models.PositiveIntegerField()),
                ('term', models.CharField(max_length=200)),
                ('pages', models.BinaryField(help_text='Page ids, int32.')),
                ('weights', models.BinaryField(help_text="The word's weight per page, float32.")),
                ('idf', models.FloatField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('language', 'generation', 'term'), name='one_postings_per_term')],
            },
        ),
        migrations.RunPython(create_vocabulary, drop_vocabulary),
    ]
