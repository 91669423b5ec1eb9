"""The demo archive: size, spread, languages, idempotence, bad input."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from scis.core.records import record_models
from scis.demo import records as demo_records
from scis.news.models import NewsPage


def _record_count(language):
    return sum(
        m.objects.live().filter(locale__language_code=language).count()
        for m in record_models()
    )


@pytest.mark.django_db
def test_at_least_150_records_in_each_language():
    assert _record_count("ko") >= 150
    assert _record_count("en") >= 150


@pytest.mark.django_db
def test_records_span_2018_to_2026_and_every_section():
    years = set()
    for model in record_models():
        years |= {d.year for d in model.objects.values_list("date", flat=True)}
    assert set(range(2018, 2027)) <= years
    sections = set(NewsPage.objects.values_list("section", flat=True))
    assert sections == {"issue", "policy-project", "policy-trend", "special"}


@pytest.mark.django_db
def test_newsletter_49_items_are_in_the_archive():
    imported = NewsPage.objects.filter(
        source_id="newsletter-49", locale__language_code="en"
    )
    titles = " ".join(imported.values_list("title", flat=True))
    for words in (
        "Sejong Smart City",
        "Odense",
        "Goyang",
        "Mini Hydrogen",
        "self-driving",
    ):
        assert words.lower() in titles.lower(), words
    hydrogen = imported.get(title__icontains="hydrogen")
    assert "two years" in (hydrogen.body + hydrogen.summary)


@pytest.mark.django_db
def test_rerunning_changes_nothing():
    pages = Page.objects.count()
    revisions = Revision.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (
        out.getvalue().strip().endswith("created=0 updated=0 skipped=164")
        or "created=0 updated=0" in out.getvalue()
    )
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_a_broken_file_loads_nothing_and_says_what_to_fix(tmp_path):
    source = Path(demo_records.DATA_DIR)
    for path in source.glob("*.yaml"):
        (tmp_path / path.name).write_text(
            path.read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "zz_broken.yaml").write_text(
        "- type: news\n  slug: Bad Slug\n  date: 2031-01-01\n  section: gossip\n"
        "  organisations: [nobody]\n  topics: [transport]\n  ko: {title: x}\n",
        encoding="utf-8",
    )
    pages = Page.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("load_demo", data_dir=tmp_path, stdout=io.StringIO())
    message = str(error.value)
    assert "nothing was loaded" in message
    assert "zz_broken.yaml #1 (Bad Slug): slug must be" in message
    assert "unknown organisation 'nobody'" in message
    assert "needs a section" in message
    assert Page.objects.count() == pages
