#!/usr/bin/env bash
# Serve the portal for `make run`: the web server in the foreground, with the
# scheduler (scheduled publishing, harvest runs), a task worker and the bundled
# demo source site (http://127.0.0.1:8765/, harvested by the demo sources)
# beside it. Ctrl-C stops all.
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
# Start the demo source site first, so the scheduler's first harvest finds it.
demo_port=8765  # the port in scis/demo/data/harvest_sources.yaml
if $py -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $demo_port)) != 0)"; then
  echo "Port $demo_port is taken: the demo source site is not started (the demo sources harvest whatever answers there)."
else
  $py -m scis.harvest.local_site scis/harvest/demo_site --port "$demo_port" >>var/log/demo-site.log 2>&1 &
  pids+=($!)
fi
$py manage.py run_scheduler >>var/log/scheduler.log 2>&1 &
pids+=($!)
$py manage.py db_worker >>var/log/worker.log 2>&1 &
pids+=($!)

echo "Scheduler, task worker and demo source site (http://127.0.0.1:$demo_port/) started (logs in var/log/)."
.venv/bin/python manage.py ensure_admin
echo "Serving http://$host:$port/ (English at http://$host:$port/en/) — Ctrl-C to stop."
$py manage.py runserver "$host:$port" --noreload
