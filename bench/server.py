"""The serving process under test: gunicorn with one sync worker on a free
loopback port, started and always stopped by the harness."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .database import BASE_DIR, BENCH_DIR, SETTINGS_MODULE

HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
REQUEST_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Child process ids of `pid`, from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in text.split()]
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: the fields after it are fixed.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _is_gunicorn(pid: int) -> bool:
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class GunicornServer:
    """`gunicorn scis.wsgi -w 1` serving the bench database; a context manager
    that stops the server (and its worker) however the block ends."""

    def __init__(self, database_url: str, workers: int = 1, preload: bool = False):
        self.database_url = database_url
        self.workers = workers
        self.preload = preload
        self.port = free_port()
        self.log_path = BENCH_DIR / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.worker: int | None = None

    def __enter__(self) -> "GunicornServer":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": self.database_url,
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "scis.wsgi",
            "-w",
            str(self.workers),
            *(["--preload"] if self.preload else []),
            "-k",
            "sync",
            "--bind",
            f"{HOST}:{self.port}",
            "--chdir",
            str(BASE_DIR),
            "--timeout",
            str(int(REQUEST_TIMEOUT)),
            "--log-level",
            "warning",
        ]
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            workers = _children(self.process.pid)
            if len(workers) >= self.workers and self._answers():
                self.worker = workers[0]
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT:.0f} s")

    def _answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1):
                return True
        except OSError:
            return False

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def get(self, url: str) -> tuple[int, bytes, float]:
        """(status, body, seconds) of one GET on a fresh connection: the sync
        worker closes every connection after its response anyway."""
        connection = http.client.HTTPConnection(
            HOST, self.port, timeout=REQUEST_TIMEOUT
        )
        try:
            started = time.perf_counter()
            connection.request("GET", url)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
        finally:
            connection.close()
        return response.status, body, elapsed

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def peak_rss_kb(self) -> int | None:
        """VmHWM (peak resident set) of the worker that served the run."""
        if self.worker is None:
            return None
        current = self.worker_pids()
        if self.worker not in current:
            raise RuntimeError(
                "the gunicorn worker was replaced during the run (timeout or crash):\n"
                + self.log_tail()
            )
        return _status_kb(self.worker, "VmHWM")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        workers = self.worker_pids()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        for pid in workers:  # a worker left behind by a killed master
            if _is_gunicorn(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with shared pages divided among
    the processes sharing them, so the figures of a server's processes add up."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
