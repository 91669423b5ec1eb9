"""How fast a harvest runs, gather to inbox (issue #4's targets: at least 50
items a second for a 1,000-item local source on 2 cores, and a second run
with nothing changed at least 10 times faster; memory reported).

It writes N realistic items into a temporary folder — an RSS 2.0 feed
listing them all and one article page each, Korean and English, 2–4 KB of
text, one in twenty a near-duplicate of an earlier item (the same release
republished with one sentence changed) — serves the folder with LocalSite in
a separate process (so the server does not share the harvester's GIL) and
harvests it twice with `scis.harvest.pipeline.harvest_source`, in a database
of its own (a SQLite file under var/bench/, or `<name>_harvest` beside a
PostgreSQL bench database), emptied of harvest data before each bench.

The per-host politeness interval is set to 0 and the per-host concurrency
to the fetch workers: the site is ours, on loopback, and the row measures
the pipeline, not the wait a real publisher is owed (HARVEST_HOST_INTERVAL_MS
is 500 ms in production, so a real source of 1,000 pages takes minutes).

It prints items, both runs' seconds and items a second, the speed-up, the
harvester's peak memory (RSS) and each run's summary line.

    python -m bench.harvest 300       (quick run; default 1,000)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from . import database
from .standalone import peak_rss_kb, row_in_subprocess, side_target

TARGET_PER_SECOND = 50
TARGET_SPEEDUP = 10
SQLITE_FILE = database.BENCH_DIR / "harvest-bench.sqlite3"
SOURCE_SLUG = "bench-harvest"
FEED_PATH = "feed.xml"
DUPLICATE_EVERY = 20  # one item in twenty republishes an earlier one
ENGLISH_EVERY = 3  # one item in three is in English
KST = timezone(timedelta(hours=9))


def settings_value(name: str):
    from django.conf import settings

    return getattr(settings, name)


# --- the corpus ---------------------------------------------------------------

KO_PLACES = [
    "세종특별자치시", "부산 에코델타시티", "대구광역시", "대전광역시", "인천광역시",
    "부천시", "수원시", "창원시", "시흥시", "춘천시", "포항시", "울산광역시",
    "고양시", "천안시", "전주시", "통영시", "서울 성동구", "원주시", "광양시",
    "서산시", "평택시", "목포시", "아산시", "제주특별자치도", "강릉시", "김해시",
]  # fmt: skip
KO_SERVICES = [
    "수요응답형 버스", "자율주행 셔틀", "공유 주차", "스마트 횡단보도",
    "디지털트윈 도시관리", "침수 예측 서비스", "스마트 버스정류장",
    "어르신 돌봄 센서", "드론 배송", "통합플랫폼 연계", "전기차 충전 공유",
    "도시 데이터 허브", "스마트 가로등", "미세먼지 알림", "공공 와이파이",
    "AI 교통신호 제어", "블록체인 지역화폐", "스마트 쓰레기통", "소방 골든타임 확보",
]  # fmt: skip
KO_PROGRAMMES = [
    "국가시범도시", "스마트챌린지", "타운 챌린지", "캠퍼스 챌린지",
    "스마트도시 통합플랫폼", "스마트도시 인증", "거점형 스마트시티",
    "강소형 스마트시티", "솔루션 확산 사업", "규제샌드박스 실증",
]  # fmt: skip
KO_SENTENCES = [
    "{place}는 {programme} 사업의 하나로 {service}를 {month}월부터 운영한다고 밝혔다.",
    "{service} 도입 이후 주민 평균 대기시간은 {a}분에서 {b}분으로 줄었다.",
    "사업비는 국비 {money}억 원과 지방비 {money2}억 원 등 모두 {total}억 원이다.",
    "{place} 관계자는 \"시민이 일상에서 변화를 느낄 수 있도록 {service}의 운영 "
    "구역을 단계적으로 넓히겠다\"고 말했다.",
    "이번 {programme} 공모에는 전국 {n}개 지자체가 참여해 {k}곳이 최종 선정되었다.",
    "{service}는 {year}년 예비사업에서 효과가 검증된 뒤 본사업으로 확대되었다.",
    "운행 데이터는 도시 데이터 허브에 모여 노선 개편과 교통 정책에 쓰인다.",
    "시민 {n}명이 참여한 리빙랩에서 {service}의 개선점 {k}가지가 도출되었다.",
    "{place}의 {service} 이용자는 지난해보다 {pct}% 늘어난 {users}명으로 집계되었다.",
    "국토교통부는 {month}월 {day}일 {place}에서 {programme} 성과공유회를 열었다.",
    "고령층 이용자를 위해 전화 호출 창구와 현장 안내 인력도 함께 운영한다.",
    "{place}는 {year}년까지 {service}를 {n}개 읍·면·동으로 넓힐 계획이다.",
    "119 구급대의 7분 이내 현장 도착률은 {a2}%에서 {b2}%로 높아졌다.",
    "이 사업은 제4차 스마트도시 종합계획의 '{strategy}' 전략에 따라 추진된다.",
    "참여 기업 {k}곳은 {place}에서 {service}를 실증한 뒤 해외 진출을 준비하고 있다.",
    "불법 주정차 민원은 {service} 도입 후 {pct}% 줄어든 것으로 나타났다.",
    "{place}는 개인정보 보호를 위해 수집한 영상과 위치 정보를 {k}일 뒤 자동 삭제한다.",
    "주민설명회는 {month}월 {day}일 오후 {hour}시 {place} 시민회관에서 열린다.",
]  # fmt: skip
KO_STRATEGIES = [
    "지속가능한 공간 모델",
    "인공지능과 데이터 기반의 도시",
    "민간 친화적 산업 생태계",
    "K-스마트도시 해외 진출",
]
EN_PLACES = [
    "Sejong", "Busan Eco Delta City", "Daegu", "Daejeon", "Incheon", "Bucheon",
    "Suwon", "Changwon", "Siheung", "Chuncheon", "Pohang", "Ulsan", "Goyang",
    "Cheonan", "Jeonju", "Tongyeong", "Seongdong-gu", "Wonju", "Gwangyang",
    "Kota Kinabalu", "Cusco", "Vientiane", "Ulaanbaatar", "Khon Kaen",
]  # fmt: skip
EN_SERVICES = [
    "demand-responsive buses", "an autonomous shuttle", "shared parking",
    "smart crossings", "a digital twin for city management", "flood forecasting",
    "smart bus shelters", "care sensors for older residents", "drone delivery",
    "the integrated safety platform", "shared electric vehicle charging",
    "a city data hub", "AI traffic signal control", "air quality alerts",
]  # fmt: skip
EN_PROGRAMMES = [
    "national pilot smart city", "Smart City Challenge", "Town Challenge",
    "Campus Challenge", "smart city certification", "K-City Network",
    "hub-type smart city", "regulatory sandbox",
]  # fmt: skip
EN_SENTENCES = [
    "{place} will run {service} from {monthname} as part of the {programme} "
    "programme, the city said.",
    "Since {service} started, the average wait of residents fell from {a} to {b} "
    "minutes.",
    "The project costs {total} hundred million won, of which {money} come from the "
    "national budget.",
    "\"People should notice the difference in their daily lives,\" an official in "
    "{place} said, adding that {service} would be extended step by step.",
    "{n} local governments applied to this year's {programme} call and {k} were "
    "selected.",
    "{service} was tested in a preliminary project in {year} before the main "
    "project widened it.",
    "Operating data flows into the city data hub, where it informs route changes "
    "and transport policy.",
    "A living lab with {n} residents identified {k} ways to improve {service}.",
    "Use of {service} in {place} grew by {pct}% over the year to {users} people.",
    "MOLIT held a {programme} results forum in {place} on {day} {monthname}.",
    "The share of 119 ambulances arriving within seven minutes rose from {a2}% to "
    "{b2}%.",
    "The work follows the '{strategy}' strategy of the fourth Smart City "
    "Comprehensive Plan.",
    "{k} companies tested {service} in {place} and are preparing to take it abroad.",
    "Illegal parking complaints fell by {pct}% after {service} was introduced.",
    "To protect privacy, {place} deletes the video and location data it collects "
    "after {k} days.",
]  # fmt: skip
EN_STRATEGIES = [
    "sustainable spatial models",
    "AI and data-driven cities",
    "industry ecosystem friendly to private firms",
    "overseas expansion of K-smart cities",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip


@dataclass
class Article:
    number: int
    language: str
    title: str
    day: date
    paragraphs: list[str]
    duplicate_of: int | None = None

    @property
    def summary(self) -> str:
        return self.paragraphs[0][:200]


def _slots(rng: random.Random, english: bool) -> dict:
    a = rng.randint(25, 90)
    a2 = round(rng.uniform(50, 70), 1)
    money = rng.randint(5, 150)
    month = rng.randint(1, 12)
    return {
        "place": rng.choice(EN_PLACES if english else KO_PLACES),
        "service": rng.choice(EN_SERVICES if english else KO_SERVICES),
        "programme": rng.choice(EN_PROGRAMMES if english else KO_PROGRAMMES),
        "strategy": rng.choice(EN_STRATEGIES if english else KO_STRATEGIES),
        "month": month,
        "monthname": MONTHS[month - 1],
        "day": rng.randint(1, 28),
        "hour": rng.randint(1, 7),
        "year": rng.randint(2019, 2027),
        "a": a,
        "b": rng.randint(5, a - 5),
        "a2": a2,
        "b2": round(a2 + rng.uniform(5, 20), 1),
        "money": money,
        "money2": rng.randint(3, 80),
        "total": money + rng.randint(3, 80),
        "n": rng.randint(12, 240),
        "k": rng.randint(2, 19),
        "pct": rng.randint(8, 64),
        "users": f"{rng.randint(1_200, 98_000):,}",
    }


def _paragraphs(rng: random.Random, english: bool) -> list[str]:
    """Sentences drawn until the text is 2–4 KB (UTF-8), in paragraphs of
    two to four sentences."""
    templates = EN_SENTENCES if english else KO_SENTENCES
    wanted = rng.randint(2_000, 4_000)
    paragraphs: list[str] = []
    size = 0
    while size < wanted:
        count = rng.randint(2, 4)
        sentences = [
            rng.choice(templates).format(**_slots(rng, english)) for _ in range(count)
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return paragraphs


def _title(rng: random.Random, english: bool) -> str:
    slots = _slots(rng, english)
    if english:
        return f"{slots['place']} extends {slots['service']} under the {slots['programme']}"
    return f"{slots['place']}, {slots['programme']} 연계 {slots['service']} 확대"


def make_articles(count: int, seed: int = 2026) -> list[Article]:
    """`count` articles, newest last; every DUPLICATE_EVERY-th one republishes
    an earlier article of its language with one sentence changed."""
    rng = random.Random(seed)
    articles: list[Article] = []
    first_day = date(2026, 12, 3) - timedelta(days=count // 4 + 1)
    for number in range(1, count + 1):
        english = number % ENGLISH_EVERY == 0
        day = first_day + timedelta(days=number // 4)
        if number % DUPLICATE_EVERY == 0 and number > DUPLICATE_EVERY:
            original = articles[number - DUPLICATE_EVERY - 1]
            if original.duplicate_of is None:
                paragraphs = list(original.paragraphs)
                changed = rng.randrange(len(paragraphs))
                extra = _paragraphs(rng, original.language == "en")[0].split(". ")[0]
                paragraphs[changed] = paragraphs[changed] + " " + extra
                articles.append(
                    Article(
                        number,
                        original.language,
                        "[재배포] " + original.title
                        if original.language == "ko"
                        else original.title + " (corrected)",
                        day,
                        paragraphs,
                        duplicate_of=original.number,
                    )
                )
                continue
        articles.append(
            Article(
                number,
                "en" if english else "ko",
                _title(rng, english),
                day,
                _paragraphs(rng, english),
            )
        )
    return articles


def _page(article: Article) -> str:
    ko = article.language == "ko"
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    dated = (
        f"등록일 {article.day:%Y.%m.%d}"
        if ko
        else f"Date: {article.day.day} {MONTHS[article.day.month - 1]} {article.day.year}"
    )
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head><meta charset="utf-8"><title>{escape(article.title)}</title>
<meta name="description" content="{escape(article.summary)}"></head>
<body>
<header><a href="/">{"스마트도시 소식" if ko else "Smart city news"}</a>
<nav><ul><li><a href="/">{"보도자료" if ko else "Press releases"}</a></li>
<li><a href="/">{"정책자료" if ko else "Policy"}</a></li></ul></nav></header>
<main>
<table class="view"><tr><th>{"제목" if ko else "Title"}</th>
<td class="title">{escape(article.title)}</td></tr>
<tr><th>{"등록일" if ko else "Date"}</th><td class="date">{dated}</td></tr></table>
<div class="view_cont">
{body}
</div>
<ul class="files"><li><a href="/files/{article.number}.pdf">{"붙임" if ko else "Attachment"}.pdf</a></li></ul>
</main>
<footer>{"벤치마크용 합성 기사" if ko else "Synthetic article for the benchmark"}</footer>
</body>
</html>
"""


def write_corpus(folder: Path, articles: list[Article], base_url: str) -> int:
    """The feed and one page per article under `folder`; returns bytes written."""
    (folder / "news").mkdir(parents=True, exist_ok=True)
    written = 0
    items = []
    for article in reversed(articles):  # a feed lists the newest first
        page = _page(article).encode("utf-8")
        (folder / "news" / f"{article.number}.html").write_bytes(page)
        written += len(page)
        published = format_datetime(
            datetime(
                article.day.year, article.day.month, article.day.day, 9, tzinfo=KST
            )
        )
        items.append(
            f"<item><title>{escape(article.title)}</title>"
            f"<link>{base_url}/news/{article.number}.html</link>"
            f'<guid isPermaLink="false">bench-{article.number}</guid>'
            f"<pubDate>{published}</pubDate>"
            f"<description>{escape(article.summary)}</description></item>"
        )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Bench source</title><link>{base_url}/</link>"
        "<description>Synthetic smart city news for bench.harvest</description>"
        + "\n".join(items)
        + "</channel></rss>\n"
    ).encode("utf-8")
    (folder / FEED_PATH).write_bytes(feed)
    return written + len(feed)


# --- the server, in a process of its own ---------------------------------------


def _serve(root: str, port: int, ready) -> None:
    from scis.harvest.local_site import LocalSite

    site = LocalSite(root, port=port)
    ready.send(site.server.server_address[1])
    ready.close()
    site.server.serve_forever()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(root: Path) -> tuple[BaseProcess, str]:
    """Serve `root` from a separate process; return it and its base URL."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_serve, args=(str(root), _free_port(), sending), daemon=True
    )
    process.start()
    sending.close()
    try:
        if not receiving.poll(30):
            raise EOFError
        port = receiving.recv()
    except EOFError:
        process.kill()
        raise RuntimeError(
            "the local site did not start within 30 s; its error is printed above"
        ) from None
    return process, f"http://127.0.0.1:{port}"


# --- the run -----------------------------------------------------------------


def _prepare_database(log) -> None:
    """Migrate, load the taxonomy (classification suggests from its names)
    and remove what an earlier bench harvested."""
    from django.core.management import call_command

    from scis.harvest.models import Source
    from scis.taxonomy.models import Topic
    from scis.taxonomy.services import load_taxonomy

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not Topic.objects.exists():
        load_taxonomy()
    Source.objects.filter(slug__startswith=SOURCE_SLUG).delete()
    log(f"  database ready in {time.perf_counter() - started:.1f} s")


def _harvest_settings(warc_root: Path, workers: int) -> None:
    from django.conf import settings

    settings.HARVEST_WARC_ROOT = warc_root
    settings.HARVEST_HOST_INTERVAL_MS = 0
    settings.HARVEST_FETCH_WORKERS = workers
    settings.HARVEST_HOST_CONCURRENCY = workers
    settings.HARVEST_JOB_TIMEOUT_SECONDS = 3600


def _timed_run(source, log, label: str) -> tuple[float, Any]:
    from scis.harvest.pipeline import harvest_source

    shown = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - shown[0] >= 10 or done == total:
            shown[0] = now
            log(f"  {label}: {done:>6,}/{total:,}")

    started = time.perf_counter()
    result = harvest_source(source, trigger="bench", progress=progress)
    seconds = time.perf_counter() - started
    log(f"  {label}: {seconds:.1f} s  {result.job.summary_line()}")
    return seconds, result


def run(items: int, workers: int, database_url: str | None, log) -> dict:
    """Generate, serve and harvest `items` articles twice; the figures (see
    `table`)."""
    target = side_target(database_url, SQLITE_FILE, "harvest")
    database.configure_environment(target)
    import django

    django.setup()
    from django.db.models import Count

    from scis.harvest.models import Item, Snapshot
    from scis.harvest.sources import create_source

    database.ensure_exists(target, log)
    log(f"harvest: {target.label} database {target.name}")
    _prepare_database(log)

    with tempfile.TemporaryDirectory(prefix="scis-harvest-bench-") as folder:
        root = Path(folder) / "site"
        root.mkdir()
        # The server's port must be known before the feed's links are written.
        server, base_url = start_server(root)
        try:
            started = time.perf_counter()
            articles = make_articles(items)
            size = write_corpus(root, articles, base_url)
            log(
                f"  corpus: {items:,} articles, {size / 1e6:.1f} MB, written in "
                f"{time.perf_counter() - started:.1f} s; served at {base_url}/"
            )
            _harvest_settings(Path(folder) / "warc", workers)
            source = create_source(
                name="Bench source",
                slug=SOURCE_SLUG,
                kind="rss",
                url=f"{base_url}/{FEED_PATH}",
                allow_private=True,
                schedule_minutes=60,
            )
            load_before = os.getloadavg()[0]
            first_seconds, first = _timed_run(source, log, "first run")
            source.refresh_from_db()
            second_seconds, second = _timed_run(source, log, "second run")
            load_after = os.getloadavg()[0]
        finally:
            server.kill()
            server.join()
        states = dict(
            Item.objects.filter(source=source)
            .values_list("state")
            .annotate(n=Count("pk"))
        )
        snapshots = Snapshot.objects.filter(item__source=source).count()
    duplicates_made = sum(1 for a in articles if a.duplicate_of)
    return {
        "items": items,
        "english": sum(1 for a in articles if a.language == "en"),
        "near_duplicates_in_corpus": duplicates_made,
        "database": target.label,
        "fetch_workers": workers,
        "first_seconds": round(first_seconds, 2),
        "first_per_second": round(items / max(first_seconds, 1e-6), 1),
        "second_seconds": round(second_seconds, 3),
        "speedup": round(first_seconds / max(second_seconds, 1e-6), 1),
        "peak_rss_kb": peak_rss_kb(),
        # The largest of the forked content workers (and the server, which
        # is a child too); they share the parent's pages until they write.
        "children_peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "content_processes": settings_value("HARVEST_CONTENT_PROCESSES"),
        "first_summary": first.job.summary_line(),
        "second_summary": second.job.summary_line(),
        "first_status": first.job.status,
        "second_status": second.job.status,
        "states": states,
        "snapshots": snapshots,
        "load": (round(load_before, 2), round(load_after, 2)),
    }


def table(figures: dict) -> str:
    """The row for people."""
    per_second = figures["first_per_second"]
    speedup = figures["speedup"]
    met = (
        "met"
        if per_second >= TARGET_PER_SECOND and speedup >= TARGET_SPEEDUP
        else "NOT met"
    )
    states = ", ".join(f"{k}={v:,}" for k, v in sorted(figures["states"].items()))
    return "\n".join(
        [
            f"Harvest ({figures['items']:,} items from a local RSS source, "
            f"{figures['english']:,} in English, "
            f"{figures['near_duplicates_in_corpus']} near-duplicates; "
            f"{figures['database']}; {figures['fetch_workers']} fetch workers; "
            "the site served by a separate process on 127.0.0.1)",
            f"  first run        {figures['first_seconds']:>8.1f} s  "
            f"{per_second:>7,.1f} items/s  (target: {TARGET_PER_SECOND}/s on 2 "
            f"cores; load {figures['load'][0]} → {figures['load'][1]})",
            f"  second run       {figures['second_seconds']:>8.2f} s  "
            f"{speedup:>7,.1f}× faster  (target: {TARGET_SPEEDUP}×; nothing "
            "changed)",
            f"  peak RSS         {figures['peak_rss_kb'] / 1024:,.0f} MB (the "
            "harvesting process); largest child "
            f"{figures.get('children_peak_rss_kb', 0) / 1024:,.0f} MB "
            f"({figures.get('content_processes', 0)} content workers and the "
            "site server)",
            f"  first run        {figures['first_summary']} "
            f"({figures['first_status']})",
            f"  second run       {figures['second_summary']} "
            f"({figures['second_status']})",
            f"  inbox            {states}; {figures['snapshots']:,} WARC snapshots; "
            f"targets {met}",
        ]
    )


def in_subprocess(items: int, database_url: str | None, log) -> str:
    """The row for `python -m bench`, run in a process of its own."""
    return row_in_subprocess(
        "bench.harvest",
        items,
        database_url,
        log,
        what=f"harvest of {items:,} items",
        table=table,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.harvest",
        description="Time harvesting a local RSS source, then again unchanged.",
    )
    parser.add_argument(
        "items",
        nargs="?",
        type=int,
        default=1_000,
        help="articles in the local source (default 1,000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="pages fetched in parallel (HARVEST_FETCH_WORKERS; default 4)",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL bench database; the row uses <name>_harvest beside it",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.items <= 100_000:
        parser.error("items must be between 1 and 100,000")
    if not 1 <= args.workers <= 32:
        parser.error("--workers must be between 1 and 32")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    try:
        figures = run(args.items, args.workers, args.database_url, log)
    except RuntimeError as exc:
        print(f"bench.harvest failed: {exc}", file=sys.stderr)
        return 1
    print()
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
