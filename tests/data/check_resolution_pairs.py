#!/usr/bin/env python3
"""Check tests/data/resolution_pairs.csv against the raw source catalogs.

Every name in the CSV has to appear verbatim in the source it is attributed
to. The script also checks the header, the allowed source labels, that
``same`` is 0 or 1, that no pair appears twice, and it reports the
positive/negative balance.

Usage:
    python tests/data/check_resolution_pairs.py [--data-dir DIR] [--csv FILE]

The data directory defaults to $GENRE_DATA_DIR, falling back to
/work/shared/data. If that directory is missing, the script prints SKIP and
exits 0, so it is safe to run on a machine without the raw data.
It only needs the standard library; PyYAML is used when installed, and a
line-based parser of the HELM file is used otherwise.
"""

from __future__ import annotations

import argparse
import csv
import glob
import gzip
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.join(HERE, "resolution_pairs.csv")
DEFAULT_DATA = os.environ.get("GENRE_DATA_DIR", "/work/shared/data")

HEADER = ["name_a", "source_a", "name_b", "source_b", "same", "note"]
SOURCES = (
    "litellm",
    "models_dev",
    "helm",
    "llmstats",
    "lmarena_text",
    "lmarena_vision",
    "open_llm_v1",
    "open_llm_v2",
    "epoch",
)


def _read_csv_column(path: str, *columns: str) -> set[str]:
    out: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            for col in columns:
                val = row.get(col)
                if val:
                    out.add(val)
    return out


def _helm_names(path: str) -> set[str]:
    try:
        import yaml  # type: ignore

        with open(path, encoding="utf-8") as fh:
            models = yaml.safe_load(fh).get("models", [])
        out = set()
        for m in models:
            for key in ("name", "display_name"):
                if m.get(key):
                    out.add(str(m[key]))
        return out
    except ImportError:
        out = set()
        pat = re.compile(r"^\s*(?:- )?(name|display_name):\s*(.+?)\s*$")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.lstrip().startswith("#"):
                    continue
                m = pat.match(line)
                if m:
                    out.add(m.group(2).strip("'\""))
        return out


def load_sources(data: str) -> dict[str, set[str]]:
    cat = os.path.join(data, "catalogs")
    bench = os.path.join(data, "benchmarks")
    names: dict[str, set[str]] = {}

    with open(os.path.join(cat, "litellm_model_prices_and_context_window.json"), encoding="utf-8") as fh:
        names["litellm"] = set(json.load(fh))

    # models_dev: accept "<provider id>/<model id>" or the model's display name
    md: set[str] = set()
    with gzip.open(os.path.join(cat, "models_dev.json.gz"), "rt", encoding="utf-8") as fh:
        for provider, pdata in json.load(fh).items():
            for mid, m in (pdata.get("models") or {}).items():
                md.add(f"{provider}/{mid}")
                if isinstance(m, dict) and m.get("name"):
                    md.add(m["name"])
    names["models_dev"] = md

    names["helm"] = _helm_names(os.path.join(cat, "helm_model_metadata.yaml"))

    # llmstats: accept "<org>/<folder>" or the "name" field of model.json
    ls: set[str] = set()
    for f in glob.glob(os.path.join(cat, "llmstats", "models", "*", "*", "model.json")):
        org = os.path.basename(os.path.dirname(os.path.dirname(f)))
        folder = os.path.basename(os.path.dirname(f))
        ls.add(f"{org}/{folder}")
        with open(f, encoding="utf-8") as fh:
            nm = json.load(fh).get("name")
        if nm:
            ls.add(nm)
    names["llmstats"] = ls

    names["lmarena_text"] = _read_csv_column(os.path.join(bench, "lmarena_text.csv"), "model")
    names["lmarena_vision"] = _read_csv_column(os.path.join(bench, "lmarena_vision.csv"), "model")
    names["open_llm_v1"] = _read_csv_column(os.path.join(bench, "open_llm_leaderboard_v1.csv"), "fullname")
    names["open_llm_v2"] = _read_csv_column(os.path.join(bench, "open_llm_leaderboard_v2.csv"), "model_name")

    # epoch: version id, Model and Display name columns of model_versions.csv,
    # plus the model column of benchmarks_runs.csv
    ep = os.path.join(bench, "epoch")
    names["epoch"] = _read_csv_column(os.path.join(ep, "model_versions.csv"), "id", "Model", "Display name")
    runs = os.path.join(ep, "benchmarks_runs.csv")
    if os.path.exists(runs):
        names["epoch"] |= _read_csv_column(runs, "model")
    return names


def check(csv_path: str, data: str) -> int:
    names = load_sources(data)
    errors: list[str] = []
    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != HEADER:
            errors.append(f"bad header: {header}")
        rows = list(reader)

    seen: Counter = Counter()
    same_counts: Counter = Counter()
    for i, row in enumerate(rows, start=2):
        if len(row) != len(HEADER):
            errors.append(f"line {i}: expected {len(HEADER)} fields, got {len(row)}")
            continue
        a, sa, b, sb, same, note = row
        for name, src in ((a, sa), (b, sb)):
            if src not in SOURCES:
                errors.append(f"line {i}: unknown source {src!r}")
            elif name not in names[src]:
                errors.append(f"line {i}: {name!r} not found in {src}")
        if same not in ("0", "1"):
            errors.append(f"line {i}: same must be 0 or 1, got {same!r}")
        if not note.strip():
            errors.append(f"line {i}: empty note")
        if (a, sa) == (b, sb):
            errors.append(f"line {i}: a pair of a name with itself")
        key = frozenset([(a, sa), (b, sb)])
        seen[key] += 1
        if seen[key] == 2:
            errors.append(f"line {i}: duplicate pair {a!r} / {b!r}")
        same_counts[same] += 1

    for e in errors:
        print("ERROR", e)
    n = len(rows)
    print(f"{n} rows: same=1 {same_counts['1']}, same=0 {same_counts['0']}; {len(errors)} error(s)")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=DEFAULT_DATA)
    ap.add_argument("--csv", default=DEFAULT_CSV)
    args = ap.parse_args(argv)
    if not os.path.isdir(os.path.join(args.data_dir, "catalogs")):
        print(f"SKIP: source data not found under {args.data_dir}")
        return 0
    return check(args.csv, args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
