"""Memory of the whole serving stack as deployed: gunicorn with two workers
sharing a preloaded analyzer, and one database task worker that has indexed
a record (so it holds the analyzer too). Reports each process's PSS and the
total, after the web workers have answered searches."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass

from .server import BASE_DIR, BENCH_DIR, SETTINGS_MODULE, GunicornServer, pss_kb

WORKER_TIMEOUT = 120.0


@dataclass
class StackMemory:
    processes: dict[str, int]  # name → PSS in kB

    @property
    def total_kb(self) -> int:
        return sum(self.processes.values())


def _environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def _enqueue_index_task(env: dict) -> None:
    """Queue one re-index through the database backend, as publishing does."""
    code = (
        "import django; django.setup()\n"
        "from scis.core.models import CatalogueEntry\n"
        "from scis.search.tasks import update_record_index\n"
        "entry = CatalogueEntry.objects.select_related('page').first()\n"
        "update_record_index.enqueue(str(entry.page.translation_key))\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, check=True, timeout=120
    )


def _task_done(env: dict) -> bool:
    code = (
        "import django; django.setup()\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "print(DBTaskResult.objects.filter(status='SUCCESSFUL').exists())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout.strip() == "True"


def measure(database_url: str, search_urls: list[str], log) -> StackMemory:
    env = _environment(database_url)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with (BENCH_DIR / "db_worker.log").open("w") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
            cwd=BASE_DIR,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    try:
        _enqueue_index_task(env)
        deadline = time.monotonic() + WORKER_TIMEOUT
        while not _task_done(env):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the task worker did not run the index task; see "
                    f"{BENCH_DIR / 'db_worker.log'}"
                )
            time.sleep(1)
        with GunicornServer(database_url, workers=2, preload=True) as server:
            for url in search_urls * 2:  # both workers answer searches
                server.get(url)
            processes = {"gunicorn master": pss_kb(server.process.pid)}
            for number, pid in enumerate(server.worker_pids(), 1):
                processes[f"web worker {number}"] = pss_kb(pid)
            processes["task worker"] = pss_kb(worker.pid)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    memory = StackMemory(processes)
    log(f"  serving stack PSS: {memory.total_kb / 1024:.0f} MB")
    return memory


def table(memory: StackMemory) -> str:
    lines = ["Serving stack memory (PSS; shared pages divided among processes)"]
    for name, kb in memory.processes.items():
        lines.append(f"  {name:<18}{kb / 1024:>8.0f} MB")
    lines.append(
        f"  {'total':<18}{memory.total_kb / 1024:>8.0f} MB   (target < 1536 MB)"
    )
    return "\n".join(lines)
