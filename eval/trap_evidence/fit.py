"""Held-out (leave-one-article-out) figures of the coverage model with candidate evidence.

    PYTHONPATH=.:eval/trap_evidence .venv/bin/python eval/trap_evidence/ fit.py [--univariate] [--sets NAME...]

Reads eval/.cache/trap_evidence/obs.json (collect.py). Label: off-topic (gold empty, traps included) vs on-topic.
For each held-out article: fit on the 6 others (single+corpus runs pooled), pick the abstain
threshold by an inner leave-one-article-out on those 6 (highest cut whose inner false abstention
is <= 0.05), apply both to the held-out article.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
import sys

import numpy as np

#: The observations collect.py writes and the fits read (the eval cache is git-ignored).
OBS_PATH = Path(__file__).resolve().parents[1] / ".cache" / "trap_evidence" / "obs.json"

from bot.confidence import FEATURES

MAX_FA = 0.05
L2 = 1.0
THRESHOLDS = np.round(np.arange(0.02, 0.99, 0.01), 2)

OBS = json.load(open(OBS_PATH))
GROUP = np.array([o["group"] for o in OBS])
RUN = np.array([o["run"] for o in OBS])
ON = np.array([o["covered"] for o in OBS])
TRAP = np.array([o["trap"] for o in OBS])
GROUPS = sorted(set(GROUP))


def column(name):
    vals = [o["features"].get(name, o["new"].get(name)) if name in o["features"] else o["new"].get(name) for o in OBS]
    return np.array([np.nan if v is None else v for v in vals], float)


def matrix(names):
    return np.column_stack([column(n) for n in names]) if names else np.zeros((len(OBS), 0))


def fit(x, y, l2=L2):
    seen = ~np.isnan(x)
    means = np.where(seen, x, 0).sum(0) / np.maximum(seen.sum(0), 1)
    x = np.where(seen, x, means)
    mu, sd = x.mean(0), x.std(0)
    sd = np.where(sd < 1e-9, 1, sd)
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    pen = np.eye(z.shape[1]) * l2
    pen[0, 0] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        step = np.linalg.solve((z * (p * (1 - p))[:, None]).T @ z + pen, z.T @ (p - y) + pen @ w)
        w -= step
        if np.abs(step).max() < 1e-8:
            break

    def predict(xn):
        xn = np.where(np.isnan(xn), means, xn)
        zn = np.hstack([np.ones((len(xn), 1)), (xn - mu) / sd])
        return 1 / (1 + np.exp(-np.clip(zn @ w, -30, 30)))

    return predict, dict(zip(["bias"], [w[0]])) | {"w": w[1:]}


def loao(x, y, train_mask, groups):
    """P(covered) for rows of ``groups``, each scored by a fit on train_mask rows of the other groups."""
    p = np.full(len(y), np.nan)
    for g in groups:
        tr = train_mask & (GROUP != g) & np.isin(GROUP, groups)
        te = (GROUP == g)
        pred, _ = fit(x[tr], y[tr])
        p[te] = pred(x[te])
    return p


def pick_threshold(p, on):
    best = THRESHOLDS[0]
    for t in THRESHOLDS:
        if (p[on] < t).mean() <= MAX_FA:
            best = t
    return best


def auc(pos, neg):
    """P(score of a random pos > random neg) (ties count half)."""
    pos, neg = pos[~np.isnan(pos)], neg[~np.isnan(neg)]
    if not len(pos) or not len(neg):
        return float("nan")
    d = pos[:, None] - neg[None, :]
    return float((d > 0).mean() + 0.5 * (d == 0).mean())


def held_out(names, train_on_traps=True):
    x = matrix(names)
    y = ON.astype(float)
    train_mask = np.ones(len(y), bool) if train_on_traps else ~TRAP
    p = np.full(len(y), np.nan)
    thr = np.full(len(y), np.nan)
    for g in GROUPS:
        others = [h for h in GROUPS if h != g]
        inner = loao(x, y, train_mask, others)
        inner_rows = np.isin(GROUP, others)
        t = pick_threshold(inner[inner_rows], ON[inner_rows])
        tr = train_mask & (GROUP != g)
        pred, _ = fit(x[tr], y[tr])
        te = GROUP == g
        p[te] = pred(x[te])
        thr[te] = t
    return p, thr


def figures(p, thr, mask):
    ab = p < thr
    on, off = ON & mask, ~ON & mask
    trap, unrel = off & TRAP, off & ~TRAP
    return {"false_abstain": ab[on].mean(), "abstain_recall": ab[off].mean(), "trap_abstain": ab[trap].mean(),
            "unrelated_abstain": ab[unrel].mean(), "auc_trap": auc(p[on], p[trap]), "auc_off": auc(p[on], p[off]),
            "worst_fa": max(ab[on & (GROUP == g)].mean() for g in GROUPS)}


def row(label, names, train_on_traps=True):
    p, thr = held_out(names, train_on_traps)
    out = []
    for run in ("single", "corpus"):
        f = figures(p, thr, RUN == run)
        out.append(f"{f['abstain_recall']:.2f} {f['trap_abstain']:.2f} {f['unrelated_abstain']:.2f} "
                   f"{f['false_abstain']:.3f} {f['worst_fa']:.2f} {f['auc_trap']:.3f}")
    print(f"{label:38} | " + " | ".join(out), flush=True)
    return p, thr


NEW = {
    "a_res_use": ["res_use_top", "res_use_max", "res_use_z", "res_use_top_minus_mean"],
    "a_res_e5": ["res_e5_top", "res_e5_max", "res_e5_z", "res_e5_top_minus_mean"],
    "b_gain_use": ["gain_use", "gain_use_max", "subj_use_top"],
    "b_gain_e5": ["gain_e5", "gain_e5_max", "gain_e5_meanrel", "subj_e5_top"],
    "b_proj_use": ["proj_use_top", "proj_use_z"],
    "b_proj_e5": ["proj_e5_top", "proj_e5_z"],
    "b_subjpick_e5": ["subj_picks_top", "subj_rank_of_top"],
    "c_bare": ["bare_e5", "ctx_minus_bare"],
    "d_shape": ["gap10", "gap3", "z_fused", "z_dense", "dense_minus_mean", "entropy_T0.01", "entropy_T0.02"],
    "e_topic": ["topic_top", "topic_gap", "z_topic"],
    "e_words": ["n_words", "n_rest", "subject_share"],
    "f_relation": ["attr_cover_min", "attr_cover_mean", "attr_top_min", "attr_top_mean", "kind_in_name_sents",
                   "has_names", "n_name_sents"],
}


def frontier(label, names, train_on_traps=True):
    """Held-out trap abstention at fixed false abstention (cut read on the pooled held-out scores: optimistic)."""
    p, _ = held_out(names, train_on_traps)
    out = []
    for run in ("single", "corpus"):
        m = RUN == run
        on = np.sort(p[ON & m])
        for fa in (0.05, 0.10, 0.20):
            t = on[int(fa * len(on))]  # abstain below t: ~fa of on-topic refused
            out.append(f"{(p[TRAP & m] < t).mean():.2f}/{(p[~ON & ~TRAP & m] < t).mean():.2f}")
    print(f"{label:38} | " + " ".join(out[:3]) + " | " + " ".join(out[3:]), flush=True)


def univariate():
    print("univariate AUC, on-topic vs traps (>0.5: higher on on-topic) | on-topic vs unrelated ; single / corpus")
    names = list(FEATURES) + [n for v in NEW.values() for n in v]
    for n in names:
        col = column(n)
        s = []
        for run in ("single", "corpus"):
            m = RUN == run
            s.append(f"{auc(col[ON & m], col[TRAP & m]):.3f} {auc(col[ON & m], col[~ON & ~TRAP & m]):.3f}")
        print(f"{n:26} " + " | ".join(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--univariate", action="store_true")
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    n_on, n_trap, n_un = ON.sum() // 2, TRAP.sum() // 2, (~ON & ~TRAP).sum() // 2
    print(f"{len(GROUPS)} articles; per run: {n_on} on-topic, {n_trap} traps, {n_un} unrelated")
    if args.univariate:
        univariate()
        return
    print(f"{'features':38} | single: abst trap unrel f_abst worstFA AUCtrap | corpus: same")
    base = list(FEATURES)
    row("BASE (shipped recipe: no traps in fit)", base, train_on_traps=False)
    row("BASE (traps in fit)", base)
    for key, names in NEW.items():
        if args.only and key not in args.only:
            continue
        row(f"{key} alone", names)
        row(f"BASE + {key}", base + names)
    row("BASE + all new", base + [n for v in NEW.values() for n in v])
    print("\nfrontier: trap/unrelated abstention at false abstention 0.05 0.10 0.20 (single | corpus)")
    frontier("BASE (shipped recipe)", base, False)
    frontier("BASE (traps in fit)", base)
    for key, names in NEW.items():
        frontier(f"BASE + {key}", base + names)
    frontier("BASE + all new", base + [n for v in NEW.values() for n in v])


if __name__ == "__main__":
    main()
