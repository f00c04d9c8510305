"""Article-bootstrap CI of the held-out on-vs-trap AUC gain over BASE (trap-only model).
    PYTHONPATH=.:eval/trap_evidence .venv/bin/python eval/trap_evidence/ boot.py"""
import numpy as np
from fit import FEATURES, GROUP, GROUPS, ON, RUN, TRAP, auc, fit, matrix

def held(names):
    x = matrix(names); keep = ON | TRAP; y = ON.astype(float); p = np.full(len(y), np.nan)
    for g in GROUPS:
        tr = keep & (GROUP != g); te = GROUP == g
        pred, _ = fit(x[tr], y[tr]); p[te] = pred(x[te])
    return p
base = list(FEATURES)
pb = held(base)
rng = np.random.default_rng(0)
for label, extra in (("gain_e5_max", ["gain_e5_max"]), ("attr_top_mean", ["attr_top_mean"]),
                     ("gain_e5_max+attr_top_mean", ["gain_e5_max", "attr_top_mean"])):
    pn = held(base + extra)
    for run in ("single", "corpus"):
        m = RUN == run
        d = []
        for _ in range(500):
            gs = rng.choice(GROUPS, len(GROUPS))
            idx = np.concatenate([np.flatnonzero(m & (GROUP == g)) for g in gs])
            on, tr = idx[ON[idx]], idx[TRAP[idx]]
            d.append(auc(pn[on], pn[tr]) - auc(pb[on], pb[tr]))
        print(f"{label:28} {run:6} AUC gain {np.mean(d):+.3f}  90% CI [{np.percentile(d,5):+.3f}, {np.percentile(d,95):+.3f}]")
