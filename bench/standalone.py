"""What the benches that run in a process of their own share (bench.harvest,
bench.newsletter): a database beside the main bench's, the process's peak
memory, and running the bench as one row of `python -m bench`."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import database


def side_target(database_url: str | None, sqlite_file: Path, suffix: str):
    """A SQLite file of the bench's own, or `<name>_<suffix>` beside the
    PostgreSQL bench database."""
    if not database_url:
        return database.Target(f"sqlite:///{sqlite_file}", "sqlite", str(sqlite_file))
    base, _slash, name = database_url.rpartition("/")
    return database.target_for(0, f"{base}/{name}_{suffix}")


def peak_rss_kb() -> int:
    """This process's peak resident memory in kB. Read from /proc: getrusage
    keeps the figure of the process that started us across exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def row_in_subprocess(
    module: str,
    count: int,
    database_url: str | None,
    log,
    *,
    what: str,
    table: Callable[[dict], str],
) -> str:
    """Run `python -m MODULE COUNT --json FILE` in a process of its own (its
    own database and Django setup) and return `table` of its figures."""
    with tempfile.TemporaryDirectory(prefix="scis-bench-") as folder:
        output = Path(folder) / "figures.json"
        command = [sys.executable, "-m", module, str(count), "--json", str(output)]
        if database_url:
            command += ["--database-url", database_url]
        log(f"{what} ({module})")
        done = subprocess.run(command, cwd=database.BASE_DIR, check=False)
        if not output.exists():
            return (
                f"{what}: failed (exit code {done.returncode}); its error is "
                f"printed above. Rerun it alone with `python -m {module} {count}`."
            )
        return table(json.loads(output.read_text()))
