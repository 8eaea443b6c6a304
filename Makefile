# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The real Anki package lets the export tests import .apkg files into a fresh collection. It has
# wheels only for recent glibc, so where it cannot be installed those tests skip (make test goes on).
ANKI_STAMP := $(VENV)/.anki-tried
$(ANKI_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet "anki>=25" || echo "anki is not installable here: the Anki import tests will skip"
	touch $(ANKI_STAMP)

run: $(STAMP)
	$(BIN)/studyapp

test: $(STAMP) $(ANKI_STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check studyapp engine tests bench
	$(BIN)/ruff format --check studyapp engine tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The README's picture of the browser view (docs/browser-review.png), taken in headless Chromium
# by the end-to-end browser test (which otherwise keeps its screenshots in a temporary directory).
screenshots: $(STAMP)
	@command -v chromium >/dev/null || { echo "screenshots need Debian's chromium (apt-get install chromium)"; exit 1; }
	mkdir -p docs
	STUDYAPP_SCREENSHOT_DIR=docs $(BIN)/python -m pytest -q -m browser tests/web

clean:
	rm -rf $(VENV) build dist *.egg-info
