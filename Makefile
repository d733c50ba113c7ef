# unionhome: `make run` serves the demo portal, `make test` runs the whole suite.
# Both set everything up on a fresh Debian/Ubuntu machine and are quick when repeated.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 chromium postgresql gettext poppler-utils \
  default-jre-headless npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8000
PYTEST_ARGS ?=
# The test suite's checkers, from the npm registry at pinned versions into an ignored folder
# (no package.json, no lock file): the Nu HTML Checker (run with the system Java) and axe-core.
TOOLS := .tools
VNU_VERSION := 26.9.27
AXE_VERSION := 4.14.1
TOOLS_STAMP := $(TOOLS)/.installed-vnu-$(VNU_VERSION)-axe-$(AXE_VERSION)

export DJANGO_SETTINGS_MODULE := unionhome.settings

.PHONY: run test screenshots setup test-tools system-packages lint messages clean

run: setup
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py demo
	@echo "==> http://127.0.0.1:$(PORT)/"
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup test-tools
	DJANGO_SECRET_KEY=unionhome-test-only DATABASE_CONN_MAX_AGE=0 $(PY) -m pytest $(PYTEST_ARGS)

# Every step of every browser journey as a PNG in test-artifacts/, for a person to look at.
screenshots: setup test-tools
	DJANGO_SECRET_KEY=unionhome-test-only DATABASE_CONN_MAX_AGE=0 UNIONHOME_SCREENSHOTS=all \
	  $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)
	@echo "==> screenshots in test-artifacts/"

lint: setup
	$(VENV)/bin/ruff check .
	DJANGO_SECRET_KEY=unionhome-test-only $(PY) manage.py makemigrations --check --dry-run

setup: $(SYSTEM_STAMP) $(PIP_STAMP) messages

# System packages from DESIGN.md, installed only when one is missing. Java and npm count as present
# when their command is (a JDK or Node.js installed otherwise, e.g. nodejs from another repository
# that provides npm itself and would conflict with Debian's npm package).
$(SYSTEM_STAMP): Makefile
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  case $$p in default-jre-headless) command -v java >/dev/null && continue;; \
	    npm) command -v npm >/dev/null && continue;; esac; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(VENV) && touch $@

test-tools: $(TOOLS_STAMP)

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system one is used.
$(TOOLS_STAMP): | $(SYSTEM_STAMP)
	rm -rf $(TOOLS) && mkdir -p $(TOOLS)
	npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --prefix $(TOOLS) \
	  vnu-jar@$(VNU_VERSION) axe-core@$(AXE_VERSION)
	@touch $@

system-packages:
	@rm -f $(SYSTEM_STAMP) && $(MAKE) --no-print-directory $(SYSTEM_STAMP)

$(PIP_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

# Compiled catalogues are build output (not committed); rebuilt when a .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard unionhome/locale/*/LC_MESSAGES/django.po))
messages: $(MO_FILES)
%.mo: %.po
	msgfmt --check -o $@ $<

# Production (README, "Deployment"): settings from the environment or .env; migrate (which also
# creates the cache table), collectstatic, compilemessages, then gunicorn (deploy/serve.sh).
SERVE_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 gettext
SERVE_STAMP := $(VENV)/.serve-packages
.PHONY: serve backup
serve: $(SERVE_STAMP) $(PIP_STAMP)
	deploy/serve.sh

backup: $(PIP_STAMP)
	@set -a; [ -f "$${UNIONHOME_ENV_FILE:-.env}" ] && . "$${UNIONHOME_ENV_FILE:-.env}"; set +a; \
	  $(PY) manage.py backup

$(SERVE_STAMP):
	@missing=""; for p in $(SERVE_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(VENV) && touch $@

clean:
	rm -rf $(VENV) var staticfiles $(TOOLS)
