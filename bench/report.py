"""The bench's output: a table for people and, on request, a JSON file."""

import json
from pathlib import Path

from .measure import Timing


def target_ms(records: int) -> int:
    """The p95 goal: 50 ms up to 10,000 records, 100 ms beyond (100,000)."""
    return 50 if records <= 10_000 else 100


def table(
    records: int,
    database: str,
    timings: list[Timing],
    peak_rss_kb: int | None,
    requests: int,
    warmup: int,
) -> str:
    goal = target_ms(records)
    lines = [
        f"records={records} database={database}",
        "server time = client wall time per request over loopback (connect, "
        f"request, whole response) against gunicorn -w 1 (sync); {requests} timed "
        f"requests per row after {warmup} warm-up",
        "",
        f"{'':<16} {'p50':>9} {'p95':>9} {'max':>9} {'queries':>8} {'db':>8}",
    ]
    for t in timings:
        queries = f"{t.queries:.0f}" if t.queries is not None else "-"
        db = f"{t.query_ms:.1f}ms" if t.query_ms is not None else "-"
        lines.append(
            f"{t.scenario.name:<16} {t.p50:7.1f}ms {t.p95:7.1f}ms {t.max:7.1f}ms "
            f"{queries:>8} {db:>8}  (target p95<{goal}ms)"
        )
    rss = f"{peak_rss_kb / 1024:.0f} MB" if peak_rss_kb else "unknown"
    lines += ["", f"peak RSS of serving worker: {rss} (VmHWM)", ""]
    for t in timings:
        matches = (
            f" ({t.scenario.matches:,} matching records)"
            if t.scenario.matches is not None
            else ""
        )
        lines.append(f"{t.scenario.name:<16} = {t.scenario.description}{matches}")
    lines.append(
        "queries/db = mean SQL queries per page and their database time, "
        "measured in-process with the test client (not part of the timings)"
    )
    return "\n".join(lines)


def write_json(
    path: Path,
    records: int,
    database: str,
    timings: list[Timing],
    peak_rss_kb: int | None,
    build: dict,
) -> None:
    data = {
        "records": records,
        "database": database,
        "build": build,
        "target_p95_ms": target_ms(records),
        "timing": "client wall time per request on loopback, gunicorn -w 1 sync",
        "pages": {
            t.scenario.name: {
                "urls": t.scenario.urls
                if len(t.scenario.urls) <= 5
                else len(t.scenario.urls),
                "matches": t.scenario.matches,
                "requests": len(t.seconds),
                "p50_ms": round(t.p50, 2),
                "p95_ms": round(t.p95, 2),
                "max_ms": round(t.max, 2),
                "mean_ms": round(t.mean, 2),
                "response_bytes": t.response_bytes,
                "queries": t.queries,
                "query_ms": round(t.query_ms, 2) if t.query_ms is not None else None,
            }
            for t in timings
        },
        "peak_rss_mb": round(peak_rss_kb / 1024, 1) if peak_rss_kb else None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
