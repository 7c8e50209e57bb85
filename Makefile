# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install db bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/pathfit db upgrade
	$(BIN)/pathfit db seed

run: db
	$(BIN)/pathfit serve --host 127.0.0.1 --port 8000

# The browser and PDF tests need Chromium, CJK fonts and poppler; the script installs them when missing
# (as root) and otherwise only says what is missing.
test: install
	sh tests/browser/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 -q

bench: install
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache
