# SCIS — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= scis.settings.dev

.PHONY: run setup venv install migrate demo admin serve test test-sqlite test-postgres \
        test-browser lint format bench lock messages clean

run: setup ## Set everything up, then serve http://127.0.0.1:8000/
	@bash scripts/serve.sh $(HOST) $(PORT)

setup: install migrate demo admin

$(PY):
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian run 'apt-get install python3-venv' and retry."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py publish_open_data --if-stale

admin: migrate
	$(PY) manage.py ensure_admin

test: install lint ## Lint, then the whole suite on SQLite and on PostgreSQL
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(find scis -name '*.html' -not -path 'scis/harvest/demo_site/*')
	$(BIN)/mypy scis

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(find scis -name '*.html' -not -path 'scis/harvest/demo_site/*')

bench: install ## Synthetic archive in its own database; prints p50/p95 and memory
	$(PY) -m bench $(BENCH_ARGS)

messages: install ## Refresh the .po files after changing interface strings
	cd scis && ../$(PY) ../manage.py makemessages -l ko -l en --no-obsolete
	$(PY) manage.py compile_translations

lock: ## Re-pin requirements*.txt with Debian 12's own Python
	rm -rf /tmp/scis-lock && /usr/bin/python3 -m venv /tmp/scis-lock
	/tmp/scis-lock/bin/pip install --quiet --upgrade pip
	/tmp/scis-lock/bin/pip install --quiet -r requirements.in
	/tmp/scis-lock/bin/pip freeze --all --exclude pip --exclude setuptools > requirements.txt
	/tmp/scis-lock/bin/pip install --quiet -r requirements-dev.in
	/tmp/scis-lock/bin/pip freeze --all --exclude pip --exclude setuptools \
	  | grep -vxFf requirements.txt | sed '1i -r requirements.txt' > requirements-dev.txt

clean:
	rm -rf $(VENV) var
