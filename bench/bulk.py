"""Bulk commands on the bench archive, in process: a full `export_content`
of every record (target: 100,000 records in under 60 s) and
`import_wordpress` of a synthetic export (target: 200 posts a second)."""

import tempfile
import time
from pathlib import Path


def export(log) -> dict:
    from scis.opendata.export import export_content

    with tempfile.TemporaryDirectory(prefix="scis-export-bench-") as folder:
        started = time.monotonic()
        result = export_content(Path(folder) / "dump")
        seconds = time.monotonic() - started
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    figures = {
        "records": result.records,
        "seconds": round(seconds, 1),
        "records_per_second": round(result.records / max(seconds, 1e-6)),
        "megabytes": round(size / 1e6, 1),
    }
    log(f"  export_content: {figures['records']} records in {figures['seconds']} s")
    return figures


def wordpress(posts: int, log) -> dict:
    from scis.wordpress.bench import run

    figures = run(posts)
    log(f"  import_wordpress: {posts} posts at {figures['posts_per_second']}/s")
    return figures


def table(exported: dict, imported: dict) -> str:
    return "\n".join(
        [
            "Bulk commands (in process, on the bench database)",
            f"  export_content   {exported['records']:>8,} records  "
            f"{exported['seconds']:>7.1f} s  "
            f"{exported['records_per_second']:>7,}/s  "
            f"{exported['megabytes']:,.1f} MB written (target: 100,000 in < 60 s)",
            f"  import_wordpress {imported['posts']:>8,} posts    "
            f"{imported['seconds']:>7.1f} s  "
            f"{imported['posts_per_second']:>7,.0f}/s  "
            f"rerun unchanged {imported['rerun_seconds']:.1f} s "
            "(target: 200 posts/s; search indexing queued, not counted)",
        ]
    )
