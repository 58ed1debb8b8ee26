"""Baselines for benches/compare.sh: the same stratified draw done the usual ways in Python.

    python3 benches/compare_baselines.py pandas|pandas-pyarrow|polars|consistent|random ENTITIES.csv

Each reads the entity roster (UTF-8 with BOM, Chinese headers, as gen-rosters writes it),
keeps entities whose region starts with 52 and whose status is 存续, groups them by risk class
and draws ceil(n * ratio) of each class (A 1%, B 2%, C 5%, D 10%, as benches/compare-plan.toml):

- pandas: read_csv with its C parser, then groupby(risk).sample(frac=ratio, random_state=...);
- pandas-pyarrow: the same with read_csv(engine="pyarrow"), Arrow's multi-threaded reader;
- polars: read_csv (multi-threaded), filter, then per class sample(n=ceil(n * ratio), seed=...);
- consistent: Rivest's consistent_sampler (SHA-256 tickets per id) taking the same counts;
- random: csv.reader and random.sample from the standard library.

None of them normalises, validates or fingerprints anything: they are the lower bound of what
a data analyst would write, not equivalents of the draw.
"""

import csv
import math
import random
import sys

RATIOS = {"A": 0.01, "B": 0.02, "C": 0.05, "D": 0.10}
ID, REGION, STATUS, RISK = "统一社会信用代码", "行政区划代码", "登记状态", "信用风险分类"


def strata_from_csv(path):
    groups = {k: [] for k in RATIOS}
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        i, r, s, k = (header.index(c) for c in (ID, REGION, STATUS, RISK))
        for row in rows:
            if row[r].startswith("52") and row[s] == "存续" and row[k] in groups:
                groups[row[k]].append(row[i])
    return groups


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode in ("pandas", "pandas-pyarrow"):
        import pandas as pd

        if mode == "pandas":
            df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        else:
            # The pyarrow engine takes no encoding argument for UTF-8 with a BOM: Arrow's reader
            # skips the BOM itself.
            df = pd.read_csv(path, engine="pyarrow", dtype=str, keep_default_na=False)
        df = df[df[REGION].str.startswith("52") & (df[STATUS] == "存续")]
        df = df[df[RISK].isin(list(RATIOS))]
        picked = [
            g.sample(frac=RATIOS[name], random_state=2026)
            for name, g in df.groupby(RISK)
        ]
        total = sum(len(p) for p in picked)
    elif mode == "polars":
        import polars as pl

        df = pl.read_csv(path, infer_schema=False)
        df = df.filter(
            pl.col(REGION).str.starts_with("52")
            & (pl.col(STATUS) == "存续")
            & pl.col(RISK).is_in(list(RATIOS))
        )
        total = 0
        for name, ratio in RATIOS.items():
            g = df.filter(pl.col(RISK) == name)
            k = math.ceil(g.height * ratio)
            total += g.sample(n=k, seed=2026).height
    elif mode == "consistent":
        from consistent_sampler import sampler

        total = 0
        for name, ids in strata_from_csv(path).items():
            k = math.ceil(len(ids) * RATIOS[name])
            total += len(list(sampler(ids, seed=2026, take=k, output="id")))
    elif mode == "random":
        rng = random.Random(2026)
        total = 0
        for name, ids in strata_from_csv(path).items():
            k = math.ceil(len(ids) * RATIOS[name])
            total += len(rng.sample(ids, k))
    else:
        sys.exit("mode must be pandas, pandas-pyarrow, polars, consistent or random")
    print(f"{mode}: drew {total}")


if __name__ == "__main__":
    main()
