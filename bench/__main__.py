"""`python -m bench` (`make bench`): build or reuse the synthetic archive,
serve it with gunicorn, time the home page, filtered listings, detail pages,
searches and the projects' GeoJSON, figures and map, time the projects'
uncached builds in process, a newsletter send (bench.newsletter) and a
harvest (bench.harvest), and report p50/p95/max and memory."""

import argparse
import os
import sys
import time
from pathlib import Path

from . import database


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark SCIS pages on a synthetic archive in its own database.",
    )
    parser.add_argument(
        "--records",
        type=int,
        default=10_000,
        help="Korean record pages to build (half also get an English translation)",
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per page kind"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed requests per page kind first"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="build a fresh database even when one with --records exists",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL instead of SQLite, e.g. postgres://postgres@127.0.0.1:5432/scis_bench",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument(
        "--wordpress-posts",
        type=int,
        default=2000,
        help="posts in the synthetic WordPress export imported (default 2000)",
    )
    parser.add_argument(
        "--newsletter-subscribers",
        type=int,
        default=100_000,
        help=(
            "subscribers the newsletter issue is sent to through a local SMTP "
            "sink, in a database of its own (default 100,000; 0 skips the row)"
        ),
    )
    parser.add_argument(
        "--harvest-items",
        type=int,
        default=1_000,
        help=(
            "items in the local source harvested twice, in a database of its "
            "own (bench.harvest; default 1,000; 0 skips the row)"
        ),
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--skip-relevance",
        action="store_true",
        help="do not run the search evaluation set (bench.relevance)",
    )
    parser.add_argument(
        "--skip-search-index",
        action="store_true",
        help=(
            "prepare the database without building the search index (it takes "
            "minutes at 100,000 records) and skip everything that needs it: "
            "the search rows (search page, search API), the serving stack's "
            "memory (measured after searches) and the relevance evaluation"
        ),
    )
    args = parser.parse_args(argv)
    if not 1 <= args.records <= 2_000_000:
        parser.error("--records must be between 1 and 2,000,000")
    if not 0 <= args.newsletter_subscribers <= 2_000_000:
        parser.error("--newsletter-subscribers must be between 0 and 2,000,000")
    if not 0 <= args.harvest_items <= 100_000:
        parser.error("--harvest-items must be between 0 and 100,000")
    if not 1 <= args.requests <= 100_000 or not 0 <= args.warmup <= 10_000:
        parser.error("--requests must be 1–100,000 and --warmup 0–10,000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    target = database.target_for(args.records, args.database_url)
    database.configure_environment(target)

    import django

    django.setup()

    from django.conf import settings
    from django.db import connections

    from . import bulk, harvest, measure, newsletter, report, stack, uncached
    from .pages import SEARCH_ROWS, scenarios
    from .server import GunicornServer

    def log(message: str) -> None:
        print(message, flush=True)

    search = not args.skip_search_index
    skipped: list[tuple[str, str]] = []
    if not search:
        why = "--skip-search-index (no search index built)"
        skipped = [(name, why) for name in SEARCH_ROWS]
        log(
            "--skip-search-index: the search index is not built; the search "
            "rows, the serving stack memory and search relevance are skipped"
        )
    run_relevance = search and not args.skip_relevance
    if run_relevance:
        relevance_report = _relevance(args.database_url, log)

    started = time.perf_counter()
    preparation = database.prepare(
        target, args.records, args.rebuild, args.seed, log, search_index=search
    )
    build_seconds = time.perf_counter() - started
    if not preparation.reused:
        log(f"build took {build_seconds:.1f} s")

    chosen = scenarios(
        distinct=args.requests, seed=args.seed, search=search, warmup=args.warmup
    )
    connections.close_all()

    log(f"serving with gunicorn (1 sync worker); {args.requests} requests per row")
    load_before = os.getloadavg()[0]
    try:
        with GunicornServer(target.url) as server:
            measure.verify(server, chosen)
            timings = []
            for scenario in chosen:
                timings.append(
                    measure.time_scenario(server, scenario, args.warmup, args.requests)
                )
                log(f"  {scenario.name}: p95 {timings[-1].p95:.1f} ms")
            peak_rss_kb = server.peak_rss_kb()
            load_after = os.getloadavg()[0]
        memory = None
        if search:
            search_urls = next(s.urls for s in chosen if s.name == "search")[:10]
            memory = stack.measure(target.url, search_urls, log)
        for timing in timings:
            measure.count_queries(timing)
        log(f"projects uncached, in process; {args.requests} calls per line")
        in_process = uncached.projects(args.requests, log)
        if search:
            log("search uncached, in process; every query once")
            in_process += uncached.searches(log)
        log("bulk commands, in process")
        exported = bulk.export(log)
        imported = bulk.wordpress(args.wordpress_posts, log)
        sent = "Newsletter send: skipped (--newsletter-subscribers 0)"
        if args.newsletter_subscribers:
            sent = newsletter.in_subprocess(
                args.newsletter_subscribers, args.database_url, log
            )
        harvested = "Harvest: skipped (--harvest-items 0)"
        if args.harvest_items:
            harvested = harvest.in_subprocess(
                args.harvest_items, args.database_url, log
            )
    except (measure.BadResponse, RuntimeError) as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1

    build = {
        "reused": preparation.reused,
        "seconds": {k: round(v, 2) for k, v in preparation.seconds.items()},
        "total_seconds": round(build_seconds, 2),
    }
    # Other work on the machine skews the figures; say how busy it was.
    load = (round(load_before, 2), round(load_after, 2))
    print()
    print(
        report.table(
            args.records,
            target.label,
            build,
            timings,
            peak_rss_kb,
            args.warmup,
            load,
            in_process=in_process,
            skipped=skipped,
        )
    )
    print()
    print(bulk.table(exported, imported))
    print()
    print(sent)
    print()
    print(harvested)
    print()
    if memory is not None:
        print(stack.table(memory))
    else:
        print(
            "Serving stack memory: skipped (--skip-search-index; it is measured "
            "after the web workers answer searches)"
        )
    seconds = preparation.seconds.get("search_index")
    if seconds:
        documents, pages, records = database.indexed_counts()
        print(
            f"Search indexing (rebuild, {settings.SEARCH_INDEX_PROCESSES} analysis "
            f"processes): {documents:,} documents in {seconds:.1f} s = "
            f"{documents / seconds:,.0f} documents/s, {pages / seconds:,.0f} record "
            f"pages/s (a record in one language), {records / seconds:,.0f} records/s "
            "(a record and its translation as one). Synthetic text repeats its "
            "sentences, which each batch analyzes once; bench.relevance reports "
            "the rate on the hand-written demo archive."
        )
    if run_relevance:
        print()
        print(relevance_report)
    elif not search:
        print()
        print("Search relevance: skipped (--skip-search-index)")
    if args.json:
        report.write_json(
            args.json,
            args.records,
            target.label,
            build,
            timings,
            peak_rss_kb,
            load,
            in_process=in_process,
            skipped=skipped,
        )
        print(f"figures written to {args.json}")
    return 0


def _relevance(database_url: str | None, log) -> str:
    """Run the evaluation set in its own process and database (the demo
    archive, not the synthetic one)."""
    import subprocess

    command = [sys.executable, "-m", "bench.relevance"]
    if database_url:
        base, _slash, name = database_url.rpartition("/")
        command += ["--database-url", f"{base}/{name}_demo"]
    log("search relevance on the demo archive (bench.relevance)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        return "search relevance failed:\n" + done.stderr[-2000:]
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
