# Two commands on a fresh machine with only Python: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export ZHIFA_DATA_DIR ?= $(CURDIR)/var
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Demo mode (the development secret key, debug on; never in production, see docs/deploy.md) for the
# demo, the checks and the tests; the test suite sets it itself too (zhifa/settings_test.py).
demo check test test-dates test-fast test-pg: export ZHIFA_DEMO = 1

.PHONY: install system-deps demo serve check test test-dates test-fast test-pg bench clean

# Virtualenv + the package with its test extras; re-run when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Debian packages: Chromium for the browser tests, CJK fonts for documents and screenshots,
# LibreOffice (headless Writer) to turn generated .docx documents into PDF; faketime (libfaketime)
# to run the demo and the date-sensitive tests at other dates (make test-dates); pgbouncer for the
# connection-pooler test (tests/engines/test_pgbouncer.py, transaction mode).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ] || ! command -v soffice >/dev/null \
	    || ! command -v faketime >/dev/null || [ ! -x /usr/sbin/pgbouncer ]; then \
	  echo "Installing Debian packages: chromium fonts-noto-cjk libreoffice-writer-nogui faketime pgbouncer"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk libreoffice-writer-nogui faketime pgbouncer; \
	fi

demo: install
	$(BIN)/zhifa migrate --noinput
	$(BIN)/zhifa seed --scale county
	$(BIN)/zhifa collectstatic --noinput -v0
	@echo "打开 http://127.0.0.1:8000 （演示账号见上表）"
	@# Background tasks (alerts, figures, PDFs of supervision documents) run beside the server.
	$(BIN)/zhifa scheduler --worker & trap 'kill $$!' EXIT INT TERM; $(BIN)/zhifa runserver 127.0.0.1:8000

# Checked code: lint, types (strict where configured), migrations in step with the models.
check: install
	$(BIN)/ruff check zhifa tests
	$(BIN)/mypy
	ZHIFA_DATA_DIR=$$(mktemp -d) $(BIN)/zhifa makemigrations --check --dry-run

# One test process per core (pytest-xdist), whole files per process: a module builds its world once, and
# the modules holding slow tests (collected first, tests/conftest.py) spread over the processes
# (--no-loadscope-reorder keeps that order: xdist would otherwise sort the files by their number of tests).
test: install system-deps
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

# The demo seed, zhifa verify and the date-sensitive tests at three dates around the turn of the year.
test-dates: install system-deps
	bash .ci/dates

test-fast: install
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder -m "not browser and not slow"

test-pg: install system-deps
	DATABASE_URL=$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/zhifa} $(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

bench: install
	$(BIN)/zhifa bench foundation

clean:
	rm -rf $(VENV) var .pytest_cache
