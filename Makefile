# dangjian — the two commands: `make run` and `make test`. Everything they need is installed
# here, pinned: Python packages from requirements/*.txt, front-end packages from package-lock.json.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO_MEMBERS ?= 5000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

# Development defaults; production sets its own environment (see .env.example).
export DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-postgres test-browser lint bench bench-full messages lock clean deps

$(VENV)/.base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json scripts/vendor.sh
	npm ci --no-audit --no-fund --loglevel=error
	scripts/vendor.sh
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.base
	$(PY) scripts/compile_messages.py

MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

deps: $(VENV)/.base node_modules/.installed $(MESSAGES)

run: deps
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo --if-empty --members $(DEMO_MEMBERS)
	@echo ""
	@echo "  智慧党建 dangjian is running at http://$(HOST):$(PORT)/"
	@echo "  Demo password for every account: $${DEMO_PASSWORD:-Dangjian@2026}"
	@echo "    orgdept     organization department, whole university (two-factor)"
	@echo "    committee1  organizer of the first secondary committee"
	@echo "    secretary1  branch secretary (first committee)"
	@echo "    secretary2  branch secretary (second committee)"
	@echo "    member1     ordinary member of secretary1's branch"
	@echo "    editor1     propaganda editor: content review queue, sensitive words, monitoring"
	@echo "    sysadmin / secadmin / auditor   the three separated administrators (two-factor)"
	@echo "  Two-factor code for a demo account: $(PY) manage.py demo_otp orgdept"
	@echo ""
	@# One process, ASGI, so the notification stream is served beside the pages (about 2-3 ms
	@# more per page than WSGI; production runs WSGI workers and a stream process: docs/deploy.md).
	$(VENV)/bin/granian --interface asgi --host $(HOST) --port $(PORT) --workers 1 \
		--no-ws dangjian.asgi:application

test: deps $(VENV)/.dev
	$(VENV)/bin/pytest -n auto -m "not browser" -q

test-postgres: deps $(VENV)/.dev
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 -m "not browser" -q

test-browser: deps $(VENV)/.dev
	scripts/ensure_browser.sh
	$(VENV)/bin/pytest -m browser -q -p no:xdist

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: deps $(VENV)/.dev
	$(PY) -m bench --scale small

bench-full: deps $(VENV)/.dev
	$(PY) -m bench --scale full

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l zh_Hans -l en --no-location -i ".venv/*" -i "node_modules/*" -i "staticfiles/*" -i "static/vendor/*" -i "test-artifacts/*"
	$(PY) scripts/compile_messages.py

lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3* locale/*/LC_MESSAGES/*.mo
