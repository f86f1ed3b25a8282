# Two commands for a newcomer: `make run` and `make test` (see README.md).
# The interpreter the venv is built on: the system's Python 3 (/usr/bin/python3)
# when it is 3.11 or newer and can make a venv, else python3 from PATH;
# `make setup PYTHON=...` chooses another. The system's comes first because
# distributions build CPython with profile-guided and link-time optimisation (as
# does the official image Containerfile starts from), and pyenv's default build
# without: in callgrind, a request of the intake API took 13 % fewer instructions
# and 25 % fewer branch mispredictions on Debian's 3.11 than on pyenv's
# (docs/operations.md, "Capacity"). An existing .venv is kept: `rm -r .venv` to
# build it again. Both are expanded where used, so the system's Python is asked
# only when the venv is built, not on every `make`.
SYSTEM_PYTHON = $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo /usr/bin/python3)
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the messages `make run` sends point at the server it starts.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-fast setup lint migrate bench backup clean-db

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

# Web and the django-q2 cluster side by side; Ctrl-C stops both.
run: migrate
	SITE_URL="$(SITE_URL)" $(PY) manage.py seed_demo --if-empty
	@echo "PAKN on http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the cluster)"
	SITE_URL="$(SITE_URL)" exec $(PY) -m config.serve $(HOST) $(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest

# The edit loop: lint and the suite without the browser and real-cluster tests.
test-fast: lint
	$(PY) -m pytest -m "not browser and not cluster"

bench: migrate
	@echo "See bench/README.md; e.g. $(PY) bench/sweep.py"

# A dump of the database in var/backups/ (restore: docs/operations.md).
backup: setup
	$(PY) -m config.backup

# Stops the embedded PostgreSQL and deletes its data.
clean-db: setup
	$(PY) -c "from config.database import stop_embedded_server; stop_embedded_server()"
	rm -rf .pgdata
