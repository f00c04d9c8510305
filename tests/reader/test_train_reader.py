"""eval/train_reader.py on a tiny QA fixture, in CI time: it trains, writes weights the bot loads, and
the bot's numpy network gives the torch network's logits on the same input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from bot.reader import Reader

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "qa-tiny"


def test_training_on_a_tiny_fixture_writes_weights_the_numpy_reader_reproduces(tmp_path):
    out = tmp_path / "weights"
    done = subprocess.run(
        [sys.executable, str(ROOT / "eval" / "train_reader.py"), "--data", str(FIXTURE), "--out", str(out),
         "--layers", "2", "--frozen", "1", "--steps", "3", "--batch", "4", "--threads", "1", "--max-tokens", "96",
         "--no-translations", "--held-out-en", "1", "--held-out-es", "0", "--piaf-every", "1000", "--probe",
         "--log-every", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "step 3/3" in done.stderr and "held out en" in done.stderr
    manifest = json.loads((out / "reader.json").read_text(encoding="utf-8"))
    assert manifest["layers"] == 2 and manifest["frozen"] == 1 and manifest["steps"] == 3
    assert set(manifest["held_out"]) == {"en", "es", "fr"} and manifest["held_out"]["en"]["n"] > 0
    # only what was trained is shipped: layer 1 and the head, never the frozen layer 0 or the word table
    assert sorted({t.split(".")[0] for t in manifest["tensors"]}) == ["head", "l1"]

    reader = Reader(out)
    ids = np.load(out / "probe-ids.npy")
    expected = np.load(out / "probe-logits.npy")
    words = reader.nano.rows("emb.word", ids)[None]
    got = reader.network.logits(words, np.ones((1, len(ids)), dtype=bool))[0]
    # the same float16 weights in both; float32 arithmetic in another order (and tanh GELU in both)
    assert np.allclose(got, expected, atol=2e-4), np.abs(got - expected).max()
