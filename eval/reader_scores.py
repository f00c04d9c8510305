"""The held-out qa-data the reader is trained and scored on, and the scores: AUC, exact match, F1.

Shared by ``train_reader.py`` (training and its held-out figures) and ``reader_figures.py`` (the
shipped reader on the held-out articles, docs/research.md's table).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
import qa_data

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "qa-data"


CACHE = HERE / ".cache" / "reader"


# ----- data ----------------------------------------------------------------------------------------
def articles(data: Path) -> list[qa_data.Article]:
    """qa-data as articles, cached by the files' hashes (sentence splitting takes a minute)."""
    digest = hashlib.sha256(b"".join(hashlib.sha256((data / f).read_bytes()).digest()
                                     for f in sorted(qa_data.FILES.values()))).hexdigest()[:16]
    path = CACHE / f"articles-{digest}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    out = qa_data.load_all(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def auc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    p, n = np.array(pos)[:, None], np.array(neg)[None, :]
    return round(float((p > n).mean() + 0.5 * (p == n).mean()), 4)


def _normal(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no English articles, single spaces."""
    import re
    import string

    text = "".join(c for c in text.lower() if c not in set(string.punctuation))
    return re.sub(r"\b(a|an|the)\b", " ", text).split()


def exact_match(predicted: str, gold: str) -> float:
    return float(_normal(predicted) == _normal(gold))


def f1_score(predicted: str, gold: str) -> float:
    from collections import Counter

    p, g = _normal(predicted), _normal(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not p or not g or not common:
        return float(p == g)
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)

