"""The bench's output: a table for people and, on request, a JSON file."""

import json
import os
from pathlib import Path

from .measure import Timing


def target_ms(records: int) -> int:
    """The p95 goal: 50 ms up to 10,000 records, 100 ms beyond (100,000)."""
    return 50 if records <= 10_000 else 100


def build_line(build: dict) -> str:
    if build["reused"]:
        rebuilt = build["seconds"].get("catalogue")
        if rebuilt is not None:
            return f"database: reused; its listing catalogue rebuilt in {rebuilt:.1f} s"
        return "database: reused (no build)"
    parts = ", ".join(
        f"{name} {sec:.1f}"
        for name, sec in build["seconds"].items()
        if name != "index_docs_per_second"  # a rate, reported on its own line
    )
    return f"database: built in {build['total_seconds']:.1f} s ({parts})"


def table(
    records: int,
    database: str,
    build: dict,
    timings: list[Timing],
    peak_rss_kb: int | None,
    warmup: int,
    load: tuple[float, float],
) -> str:
    goal = target_ms(records)
    requests = len(timings[0].seconds) if timings else 0
    lines = [
        f"records={records} database={database}",
        build_line(build),
        "server time = client wall time per request over loopback (connect, "
        "request, whole response) against gunicorn -w 1 (sync), one request at a "
        f"time; {requests} timed requests per row after {warmup} warm-up; "
        f"1-minute load average {load[0]} before, {load[1]} after, "
        f"on {os.cpu_count()} CPUs",
        "",
        f"{'':<16} {'p50':>9} {'p95':>9} {'max':>9} {'queries':>8}",
    ]
    for t in timings:
        queries = f"{t.queries:.0f}" if t.queries is not None else "-"
        lines.append(
            f"{t.scenario.name:<16} {t.p50:7.1f}ms {t.p95:7.1f}ms {t.max:7.1f}ms "
            f"{queries:>8}  (target p95<{goal}ms)"
        )
    rss = f"{peak_rss_kb / 1024:.0f} MB" if peak_rss_kb else "unknown"
    lines += ["", f"peak RSS of serving worker: {rss} (VmHWM)", ""]
    for t in timings:
        matches = t.scenario.matches
        found = f" ({matches:,} matching records)" if matches is not None else ""
        lines.append(f"{t.scenario.name:<16} = {t.scenario.description}{found}")
    lines.append(
        "queries = SQL queries per request, counted in-process with the test "
        "client (not part of the timings)"
    )
    return "\n".join(lines)


def write_json(
    path: Path,
    records: int,
    database: str,
    build: dict,
    timings: list[Timing],
    peak_rss_kb: int | None,
    load: tuple[float, float],
) -> None:
    data = {
        "records": records,
        "database": database,
        "build": build,
        "target_p95_ms": target_ms(records),
        "timing": "client wall time per request on loopback, gunicorn -w 1 sync",
        "load_average": {"before": load[0], "after": load[1], "cpus": os.cpu_count()},
        "pages": {
            t.scenario.name: {
                "urls": t.scenario.urls[:5],
                "distinct_urls": len(t.scenario.urls),
                "matches": t.scenario.matches,
                "requests": len(t.seconds),
                "p50_ms": round(t.p50, 2),
                "p95_ms": round(t.p95, 2),
                "max_ms": round(t.max, 2),
                "mean_ms": round(t.mean, 2),
                "response_bytes": t.response_bytes,
                "queries": t.queries,
            }
            for t in timings
        },
        "peak_rss_mb": round(peak_rss_kb / 1024, 1) if peak_rss_kb else None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
