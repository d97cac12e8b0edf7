"""Run scorecardpy on the benchmark data (in its own pandas < 3 environment).

Usage: python _scorecardpy_peer.py data.npz; prints one JSON line of timings.
"""

from __future__ import annotations

import json
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.simplefilter("ignore")


def main() -> None:
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression

    data = np.load(sys.argv[1], allow_pickle=False)
    y = data["y"]
    df = pd.DataFrame({k: data[k] for k in data.files if k != "y"})
    df["bad"] = y
    t = time.perf_counter()
    bins = sc.woebin(df, y="bad", count_distr_limit=0.05, bin_num_limit=20)
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    woe = sc.woebin_ply(df, bins)
    woe_s = time.perf_counter() - t
    cols = [c for c in woe.columns if c.endswith("_woe")]
    sub = woe.iloc[:100_000]
    lr = LogisticRegression(max_iter=1000).fit(sub[cols], sub["bad"])
    card = sc.scorecard(bins, lr, cols, points0=600, odds0=1 / 50, pdo=20)
    raw = df.drop(columns="bad")
    t = time.perf_counter()
    sc.scorecard_ply(raw, card)
    score_s = time.perf_counter() - t
    print(json.dumps({"fit": fit_s, "woe": woe_s, "score": score_s}))


if __name__ == "__main__":
    main()
