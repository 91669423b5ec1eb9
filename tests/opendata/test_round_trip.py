"""export_content and import_content: what a dump holds, and that it
restores into an empty database exactly."""

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site

from scis.news.models import NewsPage
from scis.taxonomy.models import Organisation, Programme, Region, Topic
from tests.factories import NewsPageFactory


@pytest.fixture
def media(settings, tmp_path):
    """A private copy of the demo's media, so deleting documents here cannot
    take files from other tests."""
    copy = tmp_path / "media"
    shutil.copytree(django_settings.MEDIA_ROOT, copy)
    settings.MEDIA_ROOT = str(copy)
    return copy


def run(command: str, *args) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command(command, *map(str, args), "--no-progress", stdout=out)
    return out.getvalue().splitlines()


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def empty_the_database() -> None:
    for page in Page.get_first_root_node().get_children():
        page.delete()
    Region.objects.exclude(parent=None).delete()  # parents are protected
    for model in (Region, Organisation, Programme, Topic, get_document_model()):
        model.objects.all().delete()


@pytest.mark.django_db
def test_the_dump_holds_every_public_record_in_both_languages(tmp_path, media):
    draft = NewsPageFactory(title="아직 공개하지 않은 초안", slug="draft-news")
    draft.unpublish()
    private = NewsPageFactory(title="비공개 기록", slug="private-news")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    summary = run("export_content", tmp_path / "dump")
    dump = tmp_path / "dump"

    news = lines_of(dump / "records/news.jsonl")
    live = NewsPage.objects.live().exclude(pk=private.pk)
    assert sorted(row["id"] for row in news) == sorted(
        live.values_list("pk", flat=True)
    )
    assert {row["language"] for row in news} == {"ko", "en"}
    titles = {row["fields"]["title"] for row in news}
    assert "아직 공개하지 않은 초안" not in titles and "비공개 기록" not in titles
    sample = next(row for row in news if row["fields"]["regions"])
    assert set(sample["fields"]) >= {"date", "summary", "body", "provenance", "topics"}
    assert all(isinstance(pk, int) for pk in sample["fields"]["regions"])

    manifest = json.loads((dump / "manifest.json").read_text())
    for entry in manifest["files"]:
        content = (dump / entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["bytes"]
    assert manifest["records"] == sum(
        e["records"]
        for e in manifest["files"]
        if e["path"].startswith("records/") and e["format"] == "jsonl"
    )

    with (dump / "records/news.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    assert len(rows) == len(news)
    assert {"id", "language", "url", "title", "date", "regions"} <= set(rows[0])
    assert summary[-1].startswith(f"exported: records={manifest['records']} ")

    literature = lines_of(dump / "records/literature.jsonl")
    assert any(row["fields"]["authors"] for row in literature)
    documents = lines_of(dump / "media/documents.jsonl")
    assert documents and all(
        (dump / "media/files" / d["file"]).is_file() for d in documents
    )


@pytest.mark.django_db
def test_export_import_export_gives_identical_files(tmp_path, media, client):
    first, second = tmp_path / "first", tmp_path / "second"
    run("export_content", first)
    some_news = lines_of(first / "records/news.jsonl")[0]
    empty_the_database()
    shutil.rmtree(media)
    media.mkdir()
    assert not NewsPage.objects.exists()

    summary = run("import_content", first)

    manifest = json.loads((first / "manifest.json").read_text())
    created = sum(e["records"] for e in manifest["files"] if e["format"] == "jsonl")
    assert summary[-1] == f"created={created} updated=0 skipped=0"
    run("export_content", second)
    before, after = files_of(first), files_of(second)
    assert before.keys() == after.keys()
    for name, content in sorted(before.items(), key=lambda i: i[0] == "manifest.json"):
        changed = [
            (old, new)
            for old, new in zip(
                content.splitlines(), after[name].splitlines(), strict=False
            )
            if old != new
        ]
        assert content == after[name], (name, changed[:1])

    # The restored portal answers as before: permanent links, listings, files.
    page = NewsPage.objects.get(pk=some_news["id"])
    assert page.title == some_news["fields"]["title"] and page.live
    shown = client.get(f"/id/{page.pk}/", follow=True)
    assert shown.status_code == 200 and page.title in shown.content.decode()
    newest = NewsPage.objects.filter(locale__language_code="ko").order_by("-date")[0]
    assert newest.title in client.get("/news/").content.decode()
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == (
        "HomePage"
    )
    document = get_document_model().objects.first()
    assert (media / document.file.name).is_file()
    # New pages get fresh ids after the restored ones.
    fresh = NewsPageFactory(title="복원 후 새 기록", slug="after-restore")
    assert fresh.pk > max(row["id"] for row in lines_of(first / "records/news.jsonl"))


@pytest.mark.django_db
def test_rerunning_skips_what_is_there_and_updates_what_changed(tmp_path, media):
    dump = tmp_path / "dump"
    run("export_content", dump)
    manifest = json.loads((dump / "manifest.json").read_text())
    total = sum(e["records"] for e in manifest["files"] if e["format"] == "jsonl")
    assert run("import_content", dump)[-1] == f"created=0 updated=0 skipped={total}"

    news = dump / "records/news.jsonl"
    rows = news.read_text(encoding="utf-8").splitlines()
    first = json.loads(rows[0])
    first["fields"]["title"] = "덤프에서 고친 제목"
    rows[0] = json.dumps(first, ensure_ascii=False, sort_keys=True)
    news.write_text("\n".join(rows) + "\n", encoding="utf-8")

    assert run("import_content", dump)[-1] == (
        f"created=0 updated=1 skipped={total - 1}"
    )
    page = NewsPage.objects.get(pk=first["id"])
    assert page.title == "덤프에서 고친 제목"
    assert page.live_revision.as_object().title == "덤프에서 고친 제목"
    assert page.numchild == 0 and page.get_parent().numchild > 0


def _break(dump: Path, relative: str, change) -> None:
    path = dump / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relative", "change", "message"),
    [
        ("records/news.jsonl", lambda t: t[: len(t) - 40], "is cut off"),
        (
            "records/news.jsonl",
            lambda t: "".join(
                "{not json\n" if number == 2 else text
                for number, text in enumerate(t.splitlines(keepends=True))
            ),
            "records/news.jsonl, line 3: not valid JSON",
        ),
        (
            "records/event.jsonl",
            lambda t: t.replace('"venue":', '"venue_name":', 1),
            "has no field 'venue_name'",
        ),
        (
            "records/event.jsonl",
            lambda t: t.replace('"date": "', '"date": "not-a-date', 1),
            "line 1: date",
        ),
        (
            "records/literature.jsonl",
            lambda t: "".join(t.splitlines(keepends=True)[:-1]),
            "holds",
        ),
        ("manifest.json", lambda t: t.replace('"version": 1', '"version": 99'), "99"),
    ],
)
def test_a_broken_dump_is_refused_whole_with_the_place_named(
    tmp_path, media, relative, change, message
):
    dump = tmp_path / "dump"
    run("export_content", dump)
    # A good change early in the dump must not land when a later line is bad.
    topics = dump / "taxonomy/topics.jsonl"
    first = json.loads(topics.read_text(encoding="utf-8").splitlines()[0])
    _break(
        dump,
        "taxonomy/topics.jsonl",
        lambda t: t.replace(first["name_ko"], "바뀐 주제", 1),
    )
    _break(dump, relative, change)

    with pytest.raises(CommandError) as refused:
        run("import_content", dump)

    assert message in str(refused.value)
    assert "Nothing was imported" in str(refused.value)
    assert Topic.objects.get(pk=first["id"]).name_ko == first["name_ko"]


@pytest.mark.django_db
def test_a_dump_never_overwrites_a_different_portal(tmp_path, media):
    dump = tmp_path / "dump"
    run("export_content", dump)
    rows = lines_of(dump / "records/news.jsonl")
    victim = NewsPage.objects.get(pk=rows[0]["id"])
    # Another portal's page sits where the dump's page would go.
    victim.delete()
    other = NewsPageFactory(title="다른 포털의 기록", slug="other-portal")
    Page.objects.filter(pk=other.pk).update(path=rows[0]["path"])

    with pytest.raises(CommandError, match="clashes with a different page"):
        run("import_content", dump)


@pytest.mark.django_db
def test_export_refuses_a_directory_with_files(tmp_path):
    (tmp_path / "old.jsonl").write_text("{}\n")
    with pytest.raises(CommandError, match="not empty"):
        run("export_content", tmp_path)
