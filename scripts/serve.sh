#!/usr/bin/env bash
# Serve the portal for `make run`: the web server in the foreground, with the
# scheduler (scheduled publishing) and a task worker beside it. Ctrl-C stops all.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

mkdir -p var/log
$py manage.py run_scheduler >>var/log/scheduler.log 2>&1 &
pids+=($!)
$py manage.py db_worker >>var/log/worker.log 2>&1 &
pids+=($!)

echo "Scheduler and task worker started (logs in var/log/)."
.venv/bin/python manage.py ensure_admin
echo "Serving http://$host:$port/ (English at http://$host:$port/en/) — Ctrl-C to stop."
$py manage.py runserver "$host:$port" --noreload
