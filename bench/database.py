"""The bench's own database: a SQLite file under var/bench/ by default, or a
PostgreSQL database named by --database-url; created, reused or rebuilt.

Nothing here touches the site's database: the harness sets DATABASE_URL
itself before Django starts.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
SETTINGS_MODULE = "scis.settings.bench"

Log = Callable[[str], None]


@dataclass
class Target:
    """Where the synthetic archive lives."""

    url: str
    engine: str  # "sqlite" or "postgresql"
    name: str  # file path or database name

    @property
    def label(self) -> str:
        return "sqlite" if self.engine == "sqlite" else f"postgresql ({self.name})"


def target_for(records: int, database_url: str | None) -> Target:
    if not database_url:
        path = BENCH_DIR / f"bench-{records}.sqlite3"
        return Target(f"sqlite:///{path}", "sqlite", str(path))
    config = dj_database_url.parse(database_url)
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("sqlite3", "postgresql"):
        raise SystemExit(f"--database-url: only PostgreSQL is supported, not {engine}")
    if engine == "sqlite3":
        return Target(database_url, "sqlite", str(config["NAME"]))
    return Target(database_url, "postgresql", str(config["NAME"]))


def configure_environment(target: Target) -> None:
    """Point Django at the bench settings and database, whatever the shell
    had (the Makefile exports the dev settings; DATABASE_URL may be the
    site's own database)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["DATABASE_URL"] = target.url


def _postgres_admin(target: Target):
    """An autocommit connection to the server's `postgres` database."""
    import psycopg

    config = dj_database_url.parse(target.url)
    return psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
        connect_timeout=10,
    )


def ensure_exists(target: Target, log: Log) -> None:
    if target.engine == "sqlite":
        Path(target.name).parent.mkdir(parents=True, exist_ok=True)
        return
    from psycopg import sql

    with _postgres_admin(target) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [target.name]
        ).fetchone()
        if not found:
            conn.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name))
            )
            log(f"created PostgreSQL database {target.name}")


def recreate(target: Target, log: Log) -> None:
    """Throw the bench database away and start an empty one."""
    from django.db import connections

    connections.close_all()
    if "bench" not in Path(target.name).name:
        raise SystemExit(
            f"Refusing to drop the database {target.name!r}: the bench only "
            "rebuilds databases with 'bench' in their name (e.g. scis_bench)."
        )
    if target.engine == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(target.name + suffix).unlink(missing_ok=True)
        return
    from psycopg import sql

    with _postgres_admin(target) as conn:
        name = sql.Identifier(target.name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    log(f"recreated PostgreSQL database {target.name}")


def record_count() -> int | None:
    """Korean record pages in the database, None when it has no schema, -1
    when its tables no longer match the models or its records are not in
    the builder's mix of kinds (then it is rebuilt)."""
    from django.db import DatabaseError, connection, transaction

    if "wagtailcore_page" not in connection.introspection.table_names():
        return None
    from .synthetic import MODELS, RECORD_MODELS, planned_counts

    try:
        with transaction.atomic():
            for model in RECORD_MODELS:
                model.objects.order_by().first()  # selects every column
            counts = {
                kind: model.objects.filter(locale__language_code="ko").count()
                for kind, model in MODELS.items()
            }
    except DatabaseError:
        return -1
    # A database built before a kind was added holds the right total with
    # none of that kind.
    if counts != planned_counts(sum(counts.values())):
        return -1
    return sum(counts.values())


def _applied_migrations() -> set:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder(connection).applied_migrations())


def _catalogue_rows(records: int) -> int:
    """One catalogue row per record (and programme page) per portal language,
    as every synthetic record is listed in both (as itself, its translation
    or a fallback)."""
    from django.conf import settings

    from .synthetic import STRUCTURE_MODELS

    listed = records + sum(
        m.objects.filter(locale__language_code="ko").count() for m in STRUCTURE_MODELS
    )
    return listed * len(settings.LANGUAGES)


def _catalogue_complete(records: int) -> bool:
    from scis.core.models import CatalogueEntry

    return CatalogueEntry.objects.count() == _catalogue_rows(records)


def _rebuild_catalogue(records: int, log: Log) -> float:
    """Rebuild the app's listing catalogue, as `manage.py rebuild_catalogue`
    does after imports: the bulk insert publishes nothing, so no signal has
    listed the records."""
    from scis.core.catalogue import rebuild

    started = time.perf_counter()
    total = _catalogue_rows(records)
    shown = [0]

    def progress(rows: int) -> None:
        if rows * 4 // total > shown[0]:  # every quarter
            shown[0] = rows * 4 // total
            elapsed = time.perf_counter() - started
            log(f"  catalogue {rows:>9,} rows            {elapsed:7.1f} s")

    rows = rebuild(progress=progress)
    elapsed = time.perf_counter() - started
    log(f"  catalogue: {rows:,} rows           {elapsed:7.1f} s")
    if not _catalogue_complete(records):
        raise SystemExit(f"The catalogue has {rows} rows; expected {total}.")
    return elapsed


def _search_index_complete() -> bool:
    from scis.core.models import CatalogueEntry
    from scis.search.models import SearchDocument

    return SearchDocument.objects.count() == CatalogueEntry.objects.count()


def indexed_counts() -> tuple[int, int, int]:
    """(search documents, record pages, records): a record page is a record in
    one language; a record and its translation count as one record; each page
    has a document in both reading languages."""
    from wagtail.models import Page

    from scis.core.models import CatalogueEntry
    from scis.search.models import SearchDocument

    listed = CatalogueEntry.objects.values("page_id")
    pages = Page.objects.filter(pk__in=listed)
    return (
        SearchDocument.objects.count(),
        pages.count(),
        pages.values("translation_key").distinct().count(),
    )


def _rebuild_search_index(log: Log) -> tuple[float, float]:
    """Index every catalogue row for search, as `manage.py
    rebuild_search_index` does; returns (seconds, records per second)."""
    from scis.search.analyzer import analyzer
    from scis.search.index import rebuild

    analyzer()  # loading Kiwi is not indexing
    started = time.perf_counter()
    shown = [0]
    indexed = [0.0]

    def progress(done: int, total: int) -> None:
        indexed[0] = time.perf_counter() - started
        if done * 10 // total > shown[0]:
            shown[0] = done * 10 // total
            log(
                f"  search index {done:>9,}/{total:,} documents "
                f"{indexed[0]:7.1f} s ({done / indexed[0]:,.0f}/s)"
            )

    # The rebuild ends by taking the common words' postings: timed apart
    # (from the last batch written), so the indexing rate is the index's.
    documents = rebuild(progress=progress)
    elapsed = indexed[0] or time.perf_counter() - started
    log(f"  search index: {documents:,} documents {elapsed:7.1f} s")
    log(f"  common words' postings: {time.perf_counter() - started - elapsed:7.1f} s")
    return elapsed, documents / elapsed


@dataclass
class Preparation:
    reused: bool
    seconds: dict[str, float]


def prepare(
    target: Target,
    records: int,
    rebuild: bool,
    seed: int,
    log: Log,
    search_index: bool = True,
) -> Preparation:
    """Reuse the database when it already holds `records` records; otherwise
    build it: migrate, taxonomy, site structure, records, listing catalogue,
    tree check, search index (unless `search_index` is false). Static files
    are collected into var/bench/static either way, and a reused database
    gets its catalogue and search index rebuilt when they are incomplete."""
    from django.core.management import call_command

    ensure_exists(target, log)
    existing = None if rebuild else record_count()
    if existing == records:
        log(f"reusing {target.label} database with {records} records: {target.name}")
        started = time.perf_counter()
        applied = _applied_migrations()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        seconds = {"migrate": time.perf_counter() - started}
        # The catalogue is derived data: rebuild it when the code that
        # derives it may have changed (new migrations) or rows are missing.
        if _applied_migrations() != applied or not _catalogue_complete(records):
            log("  the listing catalogue is missing or stale: rebuilding it")
            seconds["catalogue"] = _rebuild_catalogue(records, log)
        if not search_index:
            log("  search index: not checked or rebuilt (--skip-search-index)")
        elif "catalogue" in seconds or not _search_index_complete():
            log("  the search index is missing or stale: rebuilding it")
            seconds["search_index"], rate = _rebuild_search_index(log)
            seconds["index_docs_per_second"] = rate
        return Preparation(True, seconds)

    if rebuild or existing is not None:
        if existing == -1:
            log(
                "database schema or its mix of record kinds does not match "
                "the bench's: rebuilding"
            )
        elif existing is not None:
            log(f"database has {existing} records, not {records}: rebuilding")
        recreate(target, log)
    log(f"building {records} records in {target.label}: {target.name}")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seconds["migrate"] = time.perf_counter() - started
    log(f"  migrate + collectstatic     {seconds['migrate']:7.1f} s")

    from django.db import transaction

    from scis.home.structure import ensure_site_structure
    from scis.taxonomy.services import load_taxonomy

    from .check import check_archive
    from .synthetic import ArchiveBuilder

    with transaction.atomic():
        started = time.perf_counter()
        load_taxonomy()
        ensure_site_structure()
        seconds["structure"] = time.perf_counter() - started
        log(f"  taxonomy + site structure   {seconds['structure']:7.1f} s")

        started = time.perf_counter()
        shown = [0]

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total
            if percent // 5 > shown[0] // 5 or done == total:
                shown[0] = percent
                elapsed = time.perf_counter() - started
                log(f"  records {done:>9,}/{total:,} {percent:3d}%  {elapsed:7.1f} s")

        ArchiveBuilder(records, seed, progress).build()
        seconds["records"] = time.perf_counter() - started
        seconds["catalogue"] = _rebuild_catalogue(records, log)

    started = time.perf_counter()
    problems = check_archive()
    seconds["check"] = time.perf_counter() - started
    if problems:
        raise SystemExit(
            "The synthetic tree is inconsistent:\n  " + "\n  ".join(problems)
        )
    log(f"  tree check: no problems     {seconds['check']:7.1f} s")
    if search_index:
        seconds["search_index"], rate = _rebuild_search_index(log)
        seconds["index_docs_per_second"] = rate
    else:
        log("  search index: skipped (--skip-search-index)")
    if target.engine == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Preparation(False, seconds)
