# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links point at (canonical, feeds, sitemap, ClaimReview, API) unless SITE_URL is
# set: the one being served (all interfaces: this machine's loopback).
SERVED_AT := http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

.PHONY: run logins test test-sqlite test-services worker bench lint check-deploy clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# A local secret and the first passwords of the desk's editor and publisher, written once
# and kept out of git. (An .env from an earlier version gets the publisher's password added.)
.env:
	@$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	@echo "Wrote .env with a new SECRET_KEY."

define ENV_PASSWORDS
import pathlib, secrets
env = pathlib.Path(".env")
text = env.read_text()
names = [line.split("=", 1)[0] for line in text.splitlines() if "=" in line]
editor = {"FACTCHECK_EDITOR_PASSWORD", "FACTCHECK_ADMIN_PASSWORD"}
missing = [n for n, known in (("FACTCHECK_EDITOR_PASSWORD", editor), ("FACTCHECK_PUBLISHER_PASSWORD", {"FACTCHECK_PUBLISHER_PASSWORD"})) if not known & set(names)]
if missing:
    env.write_text(text + ("" if text.endswith("\n") or not text else "\n") + "".join(f"{n}={secrets.token_urlsafe(12)}\n" for n in missing))
endef
export ENV_PASSWORDS

run: $(VENV)/.runtime .env
	@$(PYTHON) -c "$$ENV_PASSWORDS"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py import_articles seeds/
	@$(PY) manage.py desk_users_create
	@echo "Serving on http://$(HOST):$(PORT)/ (the desk: http://$(HOST):$(PORT)/admin/; Ctrl-C stops)"
	@# One process serves: API rate limits may count in its own memory (no database write per request).
	FACTCHECK_SERVED_AT=$(SERVED_AT) FACTCHECK_THROTTLE_STORE=$${FACTCHECK_THROTTLE_STORE:-cache} \
		$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# The desk logins again (passwords from .env, while they still work).
logins: $(VENV)/.runtime .env
	@$(PY) manage.py desk_logins

# Unit tests on SQLite with in-process jobs; then, when DATABASE_URL and
# CELERY_BROKER_URL are set, the whole suite again on PostgreSQL and Redis with a
# real Celery worker.
test: $(VENV)/.dev
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || [ -n "$$CELERY_BROKER_URL" ]; then \
		$(MAKE) --no-print-directory test-services; \
	else \
		echo "DATABASE_URL/CELERY_BROKER_URL not set: PostgreSQL+Redis suite not run."; \
	fi

test-sqlite: $(VENV)/.dev
	env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) -m pytest -m "not integration"

test-services: $(VENV)/.dev
	$(PY) -m pytest

# A worker with Celery beat inside it (the sweep); BEAT=no for further workers.
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A factcheck worker --loglevel=INFO --concurrency=$${CONCURRENCY:-2} \
		$$([ "$${BEAT:-yes}" = no ] || echo --beat)

# Extractor speed; then, with DATABASE_URL=postgres://..., the partner API's speed under
# gunicorn, uncached and cached, against a bare Django view, and the uncached numbers
# beside the goal (benchmarks/api.py: its own database <db>_bench, loaded once; wrk if installed);
# with CELERY_BROKER_URL too, watched feeds polled, fetched and extracted by 1, 2 and 4 workers.
bench: $(VENV)/.dev
	$(PY) -m claims.nlp.bench
	$(PY) benchmarks/matching.py
	@case "$$DATABASE_URL" in \
		postgres://*|postgresql://*|pgsql://*) $(PY) benchmarks/api.py ;; \
		*) echo "API bench not run: it needs DATABASE_URL=postgres://user@host:5432/db (it creates its own database there)." ;; \
	esac
	@# Feeds polled, fetched and extracted by 1, 2 and 4 workers (benchmarks/watching.py: a local
	@# news site, its own database <db>_watchbench, a queue of its own on CELERY_BROKER_URL).
	$(PY) benchmarks/watching.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

check-deploy: $(VENV)/.runtime
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) SECURE_SSL_REDIRECT=true \
	SESSION_COOKIE_SECURE=true CSRF_COOKIE_SECURE=true SECURE_HSTS_SECONDS=31536000 \
	ALLOWED_HOSTS=factcheck.example $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
