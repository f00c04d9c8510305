# Two commands on a fresh machine (see README):
#   make demo   - create .venv, install (CPU torch first), answer a question on the console
#   make test   - the same setup, then the whole test suite (what CI runs)
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU-only torch build. On this project's machines pip finds a local wheel; elsewhere add
#   TORCH_INDEX="--index-url https://download.pytorch.org/whl/cpu"
TORCH ?= torch==2.13.0
TORCH_INDEX ?=

.PHONY: setup demo test lint screenshots
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH_INDEX) "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

demo: setup
	$(VENV)/bin/article-bot ask "when will Xiaomi enter the US?"

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check bot tests eval

# Pictures of what members see, for the README (a dev tool: SimCord's preview + Debian's chromium).
screenshots: setup
	$(PY) -m pip install --quiet -e ".[screenshots]"
	$(PY) docs/screenshots.py
