"""Every item of the bad-input catalogue through the console, with the real engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.support.hostile import CATALOGUE, SENTENCE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_config(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "articles", root / "articles")
    (root / "config.yaml").write_text("articles_dir: articles\nindex_dir: index\n", encoding="utf-8")
    assert main(["index", "--config", str(root / "config.yaml")]) == 0
    return root / "config.yaml"


def test_catalogue_has_at_least_30_items():
    assert len(CATALOGUE) >= 30


@pytest.mark.parametrize("name, question, expected", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_hostile_question_on_the_console(real_config, capsys, name, question, expected):
    code = main(["ask", question, "--json", "--config", str(real_config)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if expected == "refuse":
        assert code == 2 and out == "" and err.count("\n") == 1 and "question" in err
        return
    assert code == 0, err
    answer = json.loads(out)
    assert answer["abstained"] or answer["answer"]["text"]
    assert 0.0 <= answer["confidence"] <= 1.0
    if name == "whole article sentence":
        assert answer["answer"]["text"] == SENTENCE
