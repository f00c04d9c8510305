"""On-topic vs traps only: held-out (leave-one-article-out) AUC and trap recall at fixed false abstention.

    PYTHONPATH=.:eval/trap_evidence .venv/bin/python eval/trap_evidence/ trapmodel.py
"""
import numpy as np
from fit import FEATURES, GROUP, GROUPS, NEW, ON, RUN, TRAP, auc, fit, matrix

def trap_only(names, l2=1.0):
    x = matrix(names); keep = ON | TRAP; y = ON.astype(float)
    p = np.full(len(y), np.nan)
    for g in GROUPS:
        tr = keep & (GROUP != g); te = GROUP == g
        pred, _ = fit(x[tr], y[tr], l2); p[te] = pred(x[te])
    out = []
    for run in ("single", "corpus"):
        m = RUN == run; on = np.sort(p[ON & m])
        rec = [(p[TRAP & m] < on[int(fa * len(on))]).mean() for fa in (0.05, 0.10, 0.20)]
        # per-article AUC spread
        per = [auc(p[ON & m & (GROUP == g)], p[TRAP & m & (GROUP == g)]) for g in GROUPS]
        out.append(f"AUC {auc(p[ON & m], p[TRAP & m]):.3f} (per article {min(per):.2f}-{max(per):.2f}) "
                   f"trap@FA.05/.10/.20 {rec[0]:.2f}/{rec[1]:.2f}/{rec[2]:.2f}")
    return out

base = list(FEATURES)
sets = {"BASE": base, "attr_top_mean": ["attr_top_mean"], "BASE+attr_top_mean": base + ["attr_top_mean"],
        "BASE+attr_cover_mean+attr_top_mean": base + ["attr_cover_mean", "attr_top_mean"],
        "gain_e5_max": ["gain_e5_max"], "BASE+gain_e5_max": base + ["gain_e5_max"],
        "BASE+gain_e5_max+attr_top_mean": base + ["gain_e5_max", "attr_top_mean"],
        "BASE+bare_e5": base + ["bare_e5"], "BASE+d_shape": base + NEW["d_shape"],
        "BASE+all": base + [n for v in NEW.values() for n in v]}
for k, v in sets.items():
    s, c = trap_only(v)
    print(f"{k:36} single {s} | corpus {c}")
