"""Measure asset-lint against what real Dagster computed for a public project (../shared/corpus/).

    python benchmarks/corpus_compare.py CORPUS_JSON PROJECT_FOLDER [--discover] [--json]

By default each code location of the corpus is named to asset-lint with `-m NAME=MODULE` (so the
graphs are compared location by location); `--discover` lets asset-lint find the locations from
the project's own config instead. Prints keys / edges / file:line agreement per location and in
total. Assets Dagster loaded from site-packages or without a file are "not statically visible"
and left out of recall. A measurement, not a test: it always exits 0.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def run_asset_lint(folder: Path, locations: dict, discover: bool) -> dict:
    command = [sys.executable, "-m", "asset_lint", "graph", str(folder)]
    if not discover:
        for name, module in locations.items():
            command += ["-m", f"{name}={module}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"asset-lint graph failed:\n{result.stderr}")
    return json.loads(result.stdout)


def compare(corpus: dict, ours: dict) -> dict:
    """Per-location and total figures."""
    specs = {name: loc.get("spec", {}) for name, loc in corpus.get("locations", {}).items()}
    module_to_name = {spec.get("module"): name for name, spec in specs.items()}
    mine: dict = {}
    for asset in ours["assets"]:
        location = asset["location"] if asset["location"] in specs else module_to_name.get(asset["location"], asset["location"])
        mine.setdefault(location, {})[asset["key"]] = asset
    rows, total = [], {k: 0 for k in ("keys", "found", "extra", "edges", "edges_found", "edges_extra",
                                       "lines", "lines_ok", "kinds_ok", "invisible")}
    for name, location in sorted(corpus.get("locations", {}).items()):
        theirs = {k: a for k, a in location.get("assets", {}).items() if not a.get("auto_stub")}
        visible = {k: a for k, a in theirs.items() if a.get("file") and "site-packages" not in a["file"]}
        found = mine.get(name, {})
        row = {"location": name, "loaded": location.get("ok", True), "keys": len(visible),
               "found": len(set(visible) & set(found)), "extra": len(set(found) - set(theirs)),
               "invisible": len(theirs) - len(visible)}
        edges = {(k, d) for k, a in visible.items() for d in a["deps"]}
        my_edges = {(k, d) for k, a in found.items() for d in a["deps"]}
        row.update(edges=len(edges), edges_found=len(edges & my_edges), edges_extra=len(my_edges - edges - {
            (k, d) for k, a in theirs.items() for d in a["deps"]}))
        both = set(visible) & set(found)
        row.update(lines=len(both), lines_ok=sum((visible[k]["file"], visible[k]["line"]) ==
                                                  (found[k]["filename"], found[k]["line"]) for k in both),
                   kinds_ok=sum(visible[k]["kind"] == found[k]["kind"] for k in both))
        row["missing"] = sorted(set(visible) - set(found))[:8]
        row["extra_keys"] = sorted(set(found) - set(theirs))[:8]
        rows.append(row)
        for k in total:
            total[k] += row[k]
    return {"locations": rows, "total": total}


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else f"{a}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--discover", action="store_true", help="let asset-lint find the code locations")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = json.loads(args.corpus.read_text())
    specs = {name: loc["spec"]["module"] for name, loc in corpus.get("locations", {}).items() if loc.get("spec")}
    figures = compare(corpus, run_asset_lint(args.folder, specs, args.discover))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{'location':<28} {'keys':>14} {'extra':>5} {'edges':>14} {'file:line':>10} {'kind':>6}  missing")
    for row in figures["locations"]:
        print(f"{row['location']:<28} {row['found']:>5}/{row['keys']:<8} {row['extra']:>5} "
              f"{row['edges_found']:>5}/{row['edges']:<8} {row['lines_ok']:>4}/{row['lines']:<5} "
              f"{row['kinds_ok']:>3}/{row['lines']:<3} {', '.join(row['missing'])}")
    t = figures["total"]
    print(f"keys: {pct(t['found'], t['keys'])} extra {t['extra']} | edges: {pct(t['edges_found'], t['edges'])} "
          f"extra {t['edges_extra']} | file:line {pct(t['lines_ok'], t['lines'])} | kind {pct(t['kinds_ok'], t['lines'])}"
          f" | not statically visible: {t['invisible']}")


if __name__ == "__main__":
    main()
