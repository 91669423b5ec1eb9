#!/usr/bin/env bash
# The whole suite: once on SQLite (with the browser journeys), once on
# PostgreSQL. CI must run both; on a workstation without PostgreSQL the second
# run is skipped with a warning.
set -uo pipefail
py=.venv/bin/python
# The suite's own settings, whatever the shell (or make) exported.
export DJANGO_SETTINGS_MODULE=scis.settings.test
$py manage.py compile_translations || exit 1
pg_url=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/scis}
status=0

echo "== Test suite on SQLite =="
env -u DATABASE_URL $py -m pytest -n 2 --dist loadfile "$@" || status=$?
[ $status -eq 5 ] && { echo "No tests were collected: the suite is missing."; exit 1; }

if $py - "$pg_url" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("/scis", "/postgres"), connect_timeout=3).close()
PY
then
  echo "== Test suite on PostgreSQL ($pg_url) =="
  DATABASE_URL=$pg_url $py -m pytest -n 2 --dist loadfile -m "not browser" "$@" || status=$?
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is not reachable at $pg_url: CI must run the suite on it. Start PostgreSQL or set TEST_POSTGRES_URL."
  status=1
else
  echo "WARNING: PostgreSQL is not reachable at $pg_url; skipped the PostgreSQL run. Start it or set TEST_POSTGRES_URL."
fi
exit $status
