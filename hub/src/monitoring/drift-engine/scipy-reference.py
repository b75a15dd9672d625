"""SciPy's answers for the drift engine's agreement test (drift-engine.test.ts).

Reads a JSON list of cases on stdin, prints a JSON list of answers. Run by the test when python3
with SciPy is there; `npx vitest run hub/src/monitoring/drift-engine -- --update-scipy` is not
needed: the test rewrites scipy-fixture.json itself whenever SciPy answered.
"""
import json
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance


def answer(case):
    kind = case["kind"]
    if kind == "ks":
        r = stats.ks_2samp(case["ref"], case["cur"], method="auto")
        return {"statistic": float(r.statistic), "pValue": float(r.pvalue)}
    if kind == "gammaincc":
        return {"q": float(special.gammaincc(case["a"], case["x"]))}
    if kind == "erfc":
        return {"erfc": float(special.erfc(case["x"]))}
    if kind == "kolmogorov":
        return {"sf": float(special.kolmogorov(case["x"]))}
    if kind == "chi":
        obs = np.array(case["obs"], dtype=float)
        exp = np.array(case["exp"], dtype=float)
        r = stats.chisquare(obs, exp * obs.sum() / exp.sum())
        return {"statistic": float(r.statistic), "pValue": float(r.pvalue)}
    if kind == "chi_unseen":
        # Categories the reference never had (exp 0) stay in the window's total but out of chi2:
        # chisquare() refuses f_obs and f_exp with unequal sums, so its formula, and chi2.sf.
        obs = np.array(case["obs"], dtype=float)
        exp = np.array(case["exp"], dtype=float)
        known = exp > 0
        e = exp[known] * obs.sum() / exp.sum()
        stat = float(np.sum((obs[known] - e) ** 2 / e))
        return {"statistic": stat, "pValue": float(stats.chi2.sf(stat, known.sum() - 1))}
    if kind == "z":
        p1, p2 = case["ones1"] / case["n1"], case["ones2"] / case["n2"]
        pooled = (case["ones1"] + case["ones2"]) / (case["n1"] + case["n2"])
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / case["n1"] + 1 / case["n2"]))
        return {"statistic": float(z), "pValue": float(2 * stats.norm.sf(abs(z)))}
    if kind == "wasserstein":
        pts = case["points"]
        return {"distance": float(stats.wasserstein_distance(pts, pts, case["u"], case["v"]) / case["norm"])}
    if kind == "js":
        return {"distance": float(distance.jensenshannon(case["p"], case["q"]))}
    if kind == "psi":
        r = np.maximum(np.array(case["ref"], dtype=float) / sum(case["ref"]), 0.0001)
        c = np.maximum(np.array(case["cur"], dtype=float) / sum(case["cur"]), 0.0001)
        return {"psi": float(np.sum((r - c) * np.log(r / c)))}
    if kind == "bh":
        return {"adjusted": [float(x) for x in stats.false_discovery_control(case["p"], method="bh")]}
    raise ValueError(f"unknown case kind {kind}")


cases = json.load(sys.stdin)
json.dump({"scipy": scipy.__version__, "answers": [answer(c) for c in cases]}, sys.stdout)
