"""Search quality on the evaluation set (bench/search/evaluation.yaml):
nDCG@10 and MRR of the portal's search and of Wagtail's default database
backend, over the demo archive, plus the latency of the portal's search.

Run alone with `python -m bench.relevance [--database-url URL]`, or as part of
`make bench`. The demo archive is loaded once into its own database
(var/bench/demo.sqlite3, or the PostgreSQL database named in the URL).
"""

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVALUATION = Path(__file__).resolve().parent / "search" / "evaluation.yaml"
CUTOFF = 10


@dataclass
class Judged:
    id: str
    query: str
    lang: str
    kind: str
    judgments: dict[str, int]


@dataclass
class Scores:
    ndcg: dict[str, float] = field(default_factory=dict)
    rr: dict[str, float] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)


def load_evaluation(path: Path = EVALUATION) -> list[Judged]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Judged(e["id"], str(e["query"]), e["lang"], e["kind"], e["judgments"])
        for e in entries
    ]


def ndcg(ranked: list[str], judgments: dict[str, int], cutoff: int = CUTOFF) -> float:
    """Normalised discounted cumulative gain with graded gains 2^rel − 1."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))

    ideal = dcg(sorted(judgments.values(), reverse=True)[:cutoff])
    actual = dcg([judgments.get(slug, 0) for slug in ranked[:cutoff]])
    return actual / ideal if ideal else 0.0


def reciprocal_rank(ranked: list[str], judgments: dict[str, int]) -> float:
    """1/rank of the first judged-relevant result in the top ten, else 0."""
    for i, slug in enumerate(ranked[:CUTOFF]):
        if judgments.get(slug, 0) >= 1:
            return 1 / (i + 1)
    return 0.0


def ours(query: Judged) -> list[str]:
    from django.core.cache import cache
    from django.http import QueryDict
    from django.utils import translation

    from scis.search.searching import search

    cache.clear()  # every query computed, never served from the cache
    params = QueryDict(mutable=True)
    params["q"] = query.query
    with translation.override(query.lang):
        outcome = search(params, query.lang, page_size=CUTOFF)
    return [result.page.slug for result in outcome.results]


def wagtail_default(query: Judged) -> list[str]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from scis.core.records import record_models

    types = ContentType.objects.get_for_models(*record_models()).values()
    pages = Page.objects.live().filter(
        locale=Locale.objects.get(language_code=query.lang), content_type__in=types
    )
    return [page.slug for page in pages.search(query.query)[:CUTOFF]]


def evaluate(queries: list[Judged], engine) -> Scores:
    scores = Scores()
    for query in queries:
        started = time.perf_counter()
        ranked = engine(query)
        scores.seconds.append(time.perf_counter() - started)
        scores.ndcg[query.id] = ndcg(ranked, query.judgments)
        scores.rr[query.id] = reciprocal_rank(ranked, query.judgments)
    return scores


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def table(queries: list[Judged], mine: Scores, theirs: Scores, label: str) -> str:
    groups: dict[str, list[str]] = {"all": [q.id for q in queries]}
    for q in queries:
        groups.setdefault(f"lang {q.lang}", []).append(q.id)
    for q in queries:
        groups.setdefault(f"  {q.kind}", []).append(q.id)
    lines = [
        f"Search relevance on the demo archive ({label}), {len(queries)} judged queries",
        f"{'queries':<16}{'n':>4}  {'nDCG@10 ours':>13}{'wagtail':>9}{'Δ':>7}"
        f"  {'MRR ours':>9}{'wagtail':>9}",
    ]
    for name, ids in groups.items():
        a, b = _mean(mine.ndcg[i] for i in ids), _mean(theirs.ndcg[i] for i in ids)
        lines.append(
            f"{name:<16}{len(ids):>4}  {a:>13.3f}{b:>9.3f}{a - b:>+7.3f}"
            f"  {_mean(mine.rr[i] for i in ids):>9.3f}"
            f"{_mean(theirs.rr[i] for i in ids):>9.3f}"
        )
    ms = [s * 1000 for s in mine.seconds]
    lines.append(
        f"our search, uncached, in process: p50 {statistics.median(ms):.1f} ms, "
        f"p95 {_percentile(ms, 0.95):.1f} ms"
    )
    return "\n".join(lines)


def weakest(queries: list[Judged], mine: Scores, count: int = 5) -> str:
    worst = sorted(queries, key=lambda q: mine.ndcg[q.id])[:count]
    return "weakest queries: " + ", ".join(
        f"{q.id} {q.query!r} {mine.ndcg[q.id]:.2f}" for q in worst
    )


def prepare(database_url: str | None, log) -> str:
    """Point Django at the evaluation database and load the demo once."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "scis.settings.bench"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        label = "PostgreSQL"
    else:
        path = ROOT / "var" / "bench" / "demo.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = "SQLite"
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        from .database import ensure_exists, target_for

        ensure_exists(target_for(0, database_url), log)
    call_command("migrate", interactive=False, verbosity=0)
    from scis.search.models import SearchDocument

    if not SearchDocument.objects.exists():
        log("loading the demo archive for the relevance evaluation (once)")
        call_command("load_demo", verbosity=0)
    return label


def indexing() -> str:
    """Rebuild the demo archive's index (the analyzer, dictionary or synonyms
    may have changed since it was built) and say how fast that went: unlike
    the synthetic archive's, its text is written by hand and never repeats."""
    from scis.search.analyzer import analyzer
    from scis.search.index import rebuild

    from .database import indexed_counts

    analyzer()  # loading Kiwi is not indexing
    started = time.perf_counter()
    rebuild()
    seconds = time.perf_counter() - started
    documents, pages, records = indexed_counts()
    return (
        f"indexing the demo archive (hand-written text, one process): "
        f"{documents:,} documents in {seconds:.2f} s = {documents / seconds:,.0f} "
        f"documents/s, {pages / seconds:,.0f} record pages/s, "
        f"{records / seconds:,.0f} records/s"
    )


def run(database_url: str | None = None, log=print) -> tuple[str, dict]:
    label = prepare(database_url, log)
    indexed = indexing()
    queries = load_evaluation()
    ours(queries[0])  # load the analyzer before timing
    mine = evaluate(queries, ours)
    theirs = evaluate(queries, wagtail_default)
    korean = [q.id for q in queries if q.lang == "ko"]
    figures = {
        "ndcg10": _mean(mine.ndcg.values()),
        "mrr": _mean(mine.rr.values()),
        "wagtail_ndcg10": _mean(theirs.ndcg.values()),
        "korean_gain": _mean(mine.ndcg[i] for i in korean)
        - _mean(theirs.ndcg[i] for i in korean),
    }
    report = "\n".join(
        [table(queries, mine, theirs, label), weakest(queries, mine), indexed]
    )
    return report, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance")
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite")
    args = parser.parse_args(argv)
    report, figures = run(args.database_url)
    print(report)
    print(
        f"targets: nDCG@10 {figures['ndcg10']:.3f} (≥ 0.85), Korean gain over "
        f"Wagtail {figures['korean_gain']:+.3f} (≥ +0.25)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
