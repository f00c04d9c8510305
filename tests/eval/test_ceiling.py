"""eval/ceiling.py: the in-sample upper bounds quoted in docs/quality.md (run here on the hashing encoder)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

from tests.support.project import write_yaml

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("ceiling", ROOT / "eval" / "ceiling.py")
ceiling = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ceiling)


def test_best_recall_keeps_false_abstain_under_the_bound():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.65, 0.75])
    on = np.array([True, True, True, True, False, False, False])
    # abstaining below 0.6 catches one off-topic question with no false abstention; below 0.8
    # would catch all three but abstain on two on-topic ones.
    assert ceiling.best_recall(p, on, max_false_abstain=0.0) == 1 / 3
    assert ceiling.best_recall(p, on, max_false_abstain=0.5) == 1.0


def test_logistic_separates_a_separable_signal():
    x = np.array([[0.0], [0.1], [0.2], [0.8], [0.9], [1.0]])
    y = np.array([0, 0, 0, 1, 1, 1], dtype=float)
    w = ceiling._logistic((x - x.mean()) / x.std(), y)
    assert w[1] > 0


def test_report_on_a_small_set(built_project, capsys):
    questions = write_yaml(built_project.root / "q.yaml", [
        {"q": "how long is the line", "gold": ["14.2 kilometres"], "article": "tram.en"},
        {"q": "when does construction begin", "gold": ["March 2026"], "article": "tram.en"},
        {"q": "what does the new owner bake", "gold": ["bakes bread"], "article": "bakery.en"},
        {"q": "what is the capital of peru", "gold": []},
    ])
    assert ceiling.main([f"{built_project.config_path}:{questions}", "--trials", "50", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["sets"] == [str(questions)]
    shipped, best = report["ranking_shipped"][0], report["ranking_ceiling"]["per_set"][0]
    # The search starts from the shipped weights, so the ceiling is never below them.
    assert best["top1"] >= shipped["top1"]
    assert set(report["ranking_ceiling"]["weights"]) == set(ceiling.RANK_SIGNALS)
    assert 0.0 <= report["abstention_ceiling"]["fitted_in_sample"] <= 1.0
    assert set(report["abstention_ceiling"]["single_signal"]) == set(ceiling.COVER_SIGNALS)
