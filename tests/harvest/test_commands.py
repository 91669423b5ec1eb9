"""The harvesting commands as an operator uses them (DESIGN.md §6)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scis.harvest.local_site import Reply
from scis.harvest.models import Source

from .test_pipeline import make_source, serve

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


@pytest.fixture(autouse=True)
def _only_this_tests_sources(db):
    """Demo sources (if the demo data has any) stay out of these runs."""
    Source.objects.update(active=False)


def test_a_broken_source_does_not_stop_the_others(site, warc_root, tmp_path):
    serve(site, "/molit.rss", "molit.rss")
    site.route("/broken.rss", Reply(404, b"not found", {"Content-Type": "text/plain"}))
    make_source(site, "/broken.rss", name="A broken feed")
    make_source(site, name="MOLIT press releases")
    report_path = tmp_path / "run.json"

    lines = run("harvest", "--no-progress", "--json", str(report_path))

    assert lines[-1] == ("harvested: new=4 updated=0 unchanged=0 duplicates=0 errors=1")
    assert any(line.startswith("a-broken-feed: failed") for line in lines)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["started"] <= report["finished"]
    by_slug = {source["slug"]: source for source in report["sources"]}
    assert by_slug["a-broken-feed"]["status"] == "failed"
    assert by_slug["a-broken-feed"]["items"] == []
    molit = by_slug["molit-press-releases"]
    assert molit["counts"]["new"] == 4
    shuttle = next(
        i for i in molit["items"] if i["url"].endswith("sejong-shuttle.html")
    )
    assert shuttle == {
        "url": shuttle["url"],
        "title": "세종 5-1 생활권 자율주행 셔틀 시민 시범 운행 시작",
        "date": "2024-03-28",
        "language": "ko",
        "state": "new",
        "duplicate_of": "",
        "error": "",
    }

    again = run("harvest", "--no-progress", "--source", "molit-press-releases")
    assert again[-1] == ("harvested: new=0 updated=0 unchanged=4 duplicates=0 errors=0")


def test_an_unknown_source_slug_lists_the_known_ones(site):
    make_source(site, name="MOLIT press releases")

    with pytest.raises(CommandError, match="molit-press-releases"):
        run("harvest", "--source", "no-such-source")


def test_add_source_prints_only_the_new_slug(site):
    lines = run(
        "add_source",
        "--kind",
        "rss",
        "--url",
        site.url("/molit.rss"),
        "--name",
        "국토교통부 보도자료",
        "--allow-private",
        "--language",
        "ko",
        "--schedule",
        "30",
    )

    assert lines == ["127-0-0-1-molit-rss"]
    source = Source.objects.get(slug=lines[0])
    assert source.allow_private
    assert source.name == "국토교통부 보도자료"
    assert source.schedule_minutes == 30


def test_add_source_refuses_bad_input_and_says_why():
    with pytest.raises(CommandError) as refused:
        run("add_source", "--kind", "rss", "--url", "not-a-url", "--schedule", "1")
    message = str(refused.value)
    assert "url:" in message
    assert "at least 5" in message

    with pytest.raises(CommandError, match="--config is not valid JSON"):
        run(
            "add_source",
            "--kind",
            "rss",
            "--url",
            "https://a.example/",
            "--config",
            "{",
        )


def test_load_sources_reads_yaml_and_is_all_or_nothing(tmp_path):
    good = tmp_path / "sources.yaml"
    good.write_text(
        "- name: MOLIT news\n"
        "  kind: rss\n"
        "  url: https://www.molit.go.kr/rss/news.xml\n"
        "- name: 세종시 새소식\n"
        "  kind: listing\n"
        "  url: https://www.sejong.go.kr/bbs/R0071/list.do\n"
        "  config: {item: 'table.bbs tbody tr', date: 'td.date'}\n",
        encoding="utf-8",
    )
    assert run("load_sources", str(good))[-1] == "created=2 updated=0"
    assert run("load_sources", str(good))[-1] == "created=0 updated=2"

    bad = tmp_path / "more.json"
    bad.write_text(
        json.dumps(
            [
                {"name": "New feed", "kind": "rss", "url": "https://new.example/rss"},
                {"name": "No kind", "url": "https://x.example/"},
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run("load_sources", str(bad))
    assert "entry 2 (No kind): kind:" in str(refused.value)
    assert not Source.objects.filter(name="New feed").exists()
