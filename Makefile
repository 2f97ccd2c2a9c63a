# Two entry points (see README): `make app` and `make test`.
# Both create .venv with the interpreter named by PYTHON (>= 3.11) and install the project into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: app test lint browser build clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# Debian's chromium for the headless-browser tests (playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install -y chromium' (browser tests will be skipped)"; fi; }

app: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.headless true

build: $(VENV)/.installed
	$(BIN)/policygraph build

lint: $(VENV)/.installed-test
	$(BIN)/ruff check graph tests bench app.py

test: $(VENV)/.installed-test browser lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var
