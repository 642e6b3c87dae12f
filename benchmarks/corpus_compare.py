"""Measure asset-lint against what real Dagster computed for a public project (../shared/corpus/).

    python benchmarks/corpus_compare.py CORPUS_JSON PROJECT_FOLDER [--asset-lint CMD] [--goal]
                                        [--name-locations] [--ours FILE] [--json] [--verbose]
    python benchmarks/corpus_compare.py --all PROJECTS_DIR      # the goal for every corpus
    python benchmarks/corpus_compare.py --self-test [CORPUS_JSON ...]

Runs `CMD graph . --format json` in PROJECT_FOLDER (CMD defaults to `python -m asset_lint`) and compares
its graph with the corpus, code location by code location. A location of ours is matched to the
corpus's by name, else by module (the corpus's locations[*].spec.module). A corpus location asset-lint
does not find by itself (one the project declares nowhere) is named in a second run, `-m NAME=MODULE`,
or `--autoload-defs-module NAME=MODULE` for a dg defs folder the truth marks `autoload` (loaded as
load_from_defs_folder does); `--name-locations` names every one. A "modules" corpus (one truth per
module) is one location per module Dagster could import. Figures:

  keys      corpus keys asset-lint found / missing / extra (auto-stubs are never keys, only deps)
  edges     (key, parent) pairs found / missing / extra
  file:line matched keys whose file and line agree; likewise kind and group

Assets whose corpus `file` is None or inside site-packages are "not statically visible": they are
left out of recall (keys and edges) and reported apart; finding them is never counted as extra.
`--goal` also runs `check` and prints the issue's goal: key and edge recall and precision over the
locations Dagster loaded (goal >= 0.98 and >= 0.995), and per location Dagster rejected, the rule that
covers its error (REJECTION_RULES) and whether asset-lint reported that rule's finding in the location's
files; plus the findings on locations Dagster loaded, by code (where to look for false positives).
A measurement, not a test: exits 0 whatever the figures (2 if asset-lint gave no JSON at all).
`--self-test` feeds the comparison a fake asset-lint output made from the corpus itself (expects
100%), then a damaged copy (expects exactly the damage), and exits 1 if either disagrees.
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPORA = sorted(p for p in (HERE.parent.parent / "shared" / "corpus").glob("*.json")
                         if p.name != "projects.json")   # projects.json lists the projects: no truth
# Where the corpus harness had the projects checked out; only matters for keys built from an
# absolute path (a Sling stream read from `file://<root>/...`), see normalise_key.
CORPUS_ROOT = "/tmp/corpus"


# ---------------------------------------------------------------------------------------------
# Reading the two sides


def corpus_locations(corpus: dict) -> dict[str, dict]:
    """name -> {"spec", "ok", "errors", "assets": {key: asset}} (auto-stubs included)."""
    out: dict[str, dict] = {}
    if corpus.get("mode") == "modules":  # one truth per module, each loaded on its own (the 2022 snippets)
        for rel, mod in sorted((corpus.get("modules") or {}).items()):
            errors = mod.get("errors") or []
            if not mod.get("ok", True) and all(e.get("stage") == "import" for e in errors):
                continue  # Dagster could not even import it: no verdict on its definitions
            out[mod["module"]] = {"spec": {"module": mod["module"], "root": rel}, "ok": mod.get("ok", True),
                                  "errors": errors, "assets": mod.get("assets") or {}}
        return out
    for name, loc in (corpus.get("locations") or {}).items():
        assets = loc.get("assets")
        if assets is None:  # a location that failed to load has no "assets": take the top level
            assets = {k: a for k, a in (corpus.get("assets") or {}).items()
                      if a.get("location") == name or name in (a.get("also_in") or [])}
        out[name] = {"spec": loc.get("spec") or {}, "ok": loc.get("ok", True),
                     "errors": loc.get("errors") or [], "assets": assets}
    if not out:  # no per-location data at all: one anonymous location
        out[""] = {"spec": {}, "ok": True, "errors": [], "assets": corpus.get("assets") or {}}
    return out


def statically_visible(asset: dict) -> bool:
    file = asset.get("file")
    return bool(file) and "site-packages" not in file


def norm_path(path) -> str | None:
    if path is None:
        return None
    path = str(path).replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _sanitise(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def normalise_key(key: str, roots: list[str]) -> str:
    """Replace an absolute checkout path baked into a key (as Sling does for `file://` streams)."""
    for root in roots:
        if root and root in key:
            key = key.replace(root, "<ROOT>")
    return key


def location_flags(named: dict[str, dict]) -> list[str]:
    """-m NAME=MODULE per named corpus location; a dg defs folder the truth marks `autoload` is passed as
    --autoload-defs-module (loaded as load_from_defs_folder does, as Dagster's flag of that name)."""
    flags = []
    for name, spec in sorted(named.items()):
        flags += ["--autoload-defs-module" if spec.get("autoload") else "-m", f"{name}={spec['module']}"]
    return flags


def run_asset_lint(command: str | None, folder: Path, named: dict[str, dict], check: bool = False):
    """asset-lint's graph JSON (or, with `check`, its findings JSON) for the folder."""
    cmd = shlex.split(command) if command else [sys.executable, "-m", "asset_lint"]
    cmd += ["check", ".", "--no-cache", "--output-format", "json"] if check else ["graph", ".", "--format", "json"]
    cmd += location_flags(named)
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(f"asset-lint gave no JSON (exit {result.returncode}): {shlex.join(cmd)}\n"
                         f"{result.stderr[-4000:]}\n")
        raise SystemExit(2)


def lint_project(command: str | None, folder: Path, corpus: dict, name_all: bool = False,
                 with_findings: bool = False) -> tuple[dict, list | None, list[str]]:
    """(graph JSON, findings or None, the corpus locations named on the command line). asset-lint first finds
    the locations itself; a corpus location it did not find (one the project declares nowhere) is then
    named, in a second run whose output adds just those locations. `name_all` names every one at once."""
    theirs = corpus_locations(corpus)
    nameable = {name: loc["spec"] for name, loc in theirs.items() if loc["spec"].get("module")}
    if name_all:
        findings = run_asset_lint(command, folder, nameable, check=True) if with_findings else None
        return run_asset_lint(command, folder, nameable), findings, sorted(nameable)
    ours = run_asset_lint(command, folder, {})
    found = set(match_locations(theirs, ours)[0].values())
    named = {name: spec for name, spec in nameable.items() if name not in found}
    findings = run_asset_lint(command, folder, {}, check=True) if with_findings else None
    if named:
        more = run_asset_lint(command, folder, named)
        ours = dict(ours, assets=(ours.get("assets") or []) + [a for a in more.get("assets") or []
                                                               if a.get("location") in named],
                    locations=(ours.get("locations") or []) + [loc for loc in more.get("locations") or []
                                                               if loc.get("name") in named])
        if with_findings:
            seen = {json.dumps(f, sort_keys=True) for f in findings}
            findings += [f for f in run_asset_lint(command, folder, named, check=True)
                         if json.dumps(f, sort_keys=True) not in seen]
    return ours, findings, sorted(named)


# ---------------------------------------------------------------------------------------------
# Comparing


def match_locations(theirs: dict[str, dict], ours: dict) -> tuple[dict[str, str], list[dict]]:
    """Our location name -> corpus location name, and our locations the corpus does not have."""
    by_module = {loc["spec"].get("module"): name for name, loc in theirs.items()
                 if loc["spec"].get("module")}
    mapping: dict[str, str] = {}
    declared = {loc.get("name"): loc for loc in ours.get("locations") or []}
    names = set(declared) | {a.get("location") for a in ours.get("assets") or []}
    for name in names:
        module = (declared.get(name) or {}).get("module")
        if name in theirs:
            mapping[name] = name
        elif module in by_module:
            mapping[name] = by_module[module]
        elif name in by_module:  # an asset's "location" given as a module name
            mapping[name] = by_module[name]
    unmatched = []
    for name in sorted(n for n in names if n not in mapping):
        keys = [a["key"] for a in ours.get("assets") or [] if a.get("location") == name]
        unmatched.append({"location": name, "module": (declared.get(name) or {}).get("module"),
                          "keys": len(keys), "sample": sorted(keys)[:8]})
    return mapping, unmatched


def compare(corpus: dict, ours: dict, folder: Path | None = None,
            corpus_root: str = CORPUS_ROOT) -> dict:
    theirs = corpus_locations(corpus)
    roots = []
    repo_dir = (corpus.get("repo") or corpus.get("project") or "").split("/")[-1]
    if repo_dir:
        roots.append(_sanitise("/".join(p for p in (corpus_root, repo_dir, corpus.get("subfolder") or "") if p)))
    if folder is not None:
        roots.append(_sanitise(str(folder.resolve())))
    nk = lambda key: normalise_key(key, roots)  # noqa: E731

    mapping, unmatched = match_locations(theirs, ours)
    complete = {}
    for loc in ours.get("locations") or []:
        if loc.get("name") in mapping:
            complete[mapping[loc["name"]]] = loc.get("complete")
    mine_by_loc: dict[str, dict[str, dict]] = {}
    duplicates: dict[str, list[str]] = {}
    for asset in ours.get("assets") or []:
        target = mapping.get(asset.get("location"))
        if target is None:
            continue
        key = nk(asset["key"])
        if key in mine_by_loc.setdefault(target, {}):
            duplicates.setdefault(target, []).append(key)
            continue
        mine_by_loc[target][key] = asset

    rows = []
    total_fields = ("keys", "found", "extra", "edges", "edges_found", "edges_extra", "matched",
                    "lines_ok", "kinds_ok", "groups_ok", "invisible", "invisible_found",
                    "invisible_edges", "invisible_edges_found")
    total = dict.fromkeys(total_fields, 0)
    for name in sorted(theirs):
        loc = theirs[name]
        all_assets = {nk(k): a for k, a in loc["assets"].items()}
        real = {k: a for k, a in all_assets.items() if not a.get("auto_stub")}
        visible = {k: a for k, a in real.items() if statically_visible(a)}
        invisible = {k: a for k, a in real.items() if k not in visible}
        mine = mine_by_loc.get(name, {})

        edges = {(k, nk(d)) for k, a in visible.items() for d in a.get("deps") or []}
        inv_edges = {(k, nk(d)) for k, a in invisible.items() for d in a.get("deps") or []}
        my_edges = {(k, nk(d)) for k, a in mine.items() for d in a.get("deps") or []}
        both = sorted(set(visible) & set(mine))
        line_bad = [k for k in both if (norm_path(visible[k].get("file")), visible[k].get("line"))
                    != (norm_path(mine[k].get("filename")), mine[k].get("line"))]
        kind_bad = [k for k in both if visible[k].get("kind") != mine[k].get("kind")]
        group_bad = [k for k in both if visible[k].get("group") != mine[k].get("group")]
        row = {
            "location": name,
            "module": loc["spec"].get("module"),
            "loaded": bool(loc["ok"]),
            "complete": complete.get(name),
            "keys": len(visible),
            "found": len(both),
            "extra": len(set(mine) - set(real)),
            "edges": len(edges),
            "edges_found": len(edges & my_edges),
            "edges_extra": len(my_edges - edges - inv_edges),
            "matched": len(both),
            "lines_ok": len(both) - len(line_bad),
            "kinds_ok": len(both) - len(kind_bad),
            "groups_ok": len(both) - len(group_bad),
            "invisible": len(invisible),
            "invisible_found": len(set(invisible) & set(mine)),
            "invisible_edges": len(inv_edges),
            "invisible_edges_found": len(inv_edges & my_edges),
            "missing_keys": sorted(set(visible) - set(mine)),
            "extra_keys": sorted(set(mine) - set(real)),
            "missing_edges": sorted(edges - my_edges),
            "extra_edges": sorted(my_edges - edges - inv_edges),
            "line_mismatches": [{"key": k, "corpus": f"{visible[k].get('file')}:{visible[k].get('line')}",
                                 "ours": f"{mine[k].get('filename')}:{mine[k].get('line')}"} for k in line_bad],
            "kind_mismatches": [{"key": k, "corpus": visible[k].get("kind"), "ours": mine[k].get("kind")}
                                for k in kind_bad],
            "group_mismatches": [{"key": k, "corpus": visible[k].get("group"), "ours": mine[k].get("group")}
                                 for k in group_bad],
            "invisible_keys": sorted(invisible),
            "duplicate_keys": sorted(set(duplicates.get(name, []))),
            "errors": [f"{e.get('type', '')}: {e.get('message', '')}"[:200] for e in loc["errors"]],
        }
        rows.append(row)
        for field in total_fields:
            total[field] += row[field]
    return {"project": corpus.get("project"), "commit": corpus.get("commit"),
            "locations": rows, "total": total, "locations_not_in_corpus": unmatched}


# ---------------------------------------------------------------------------------------------
# The goal: recall and precision on what Dagster loaded; a rule's finding where it refused

# Dagster's load error -> the rule whose finding should be there (the catalogue's rules/DGNNN-*.md).
REJECTION_RULES = (
    (re.compile(r"is not produced by any of the provided asset ops"), "DG002"),
    (re.compile(r"Duplicate asset key|Asset key \S+ is defined multiple times"), "DG003"),
    (re.compile(r"(resource|io manager) with key '[^']*' required by .* was not provided"), "DG017"),
    (re.compile(r"Conflicting definitions found in repository with name"), "DG012"),
    (re.compile(r"Circular dependencies exist"), "DG001"),
)
GOAL = {"recall": 0.98, "precision": 0.995}


def covering_rule(errors: list) -> str | None:
    """The rule that covers the first of Dagster's errors that one covers; None when no rule does."""
    for error in errors:
        text = f"{error.get('message', '')} {error.get('full', '')}"
        for pattern, code in REJECTION_RULES:
            if pattern.search(text):
                return code
    return None


def locations_of_file(filename: str, theirs: dict) -> set:
    """The corpus locations a finding's file belongs to: the one loaded from that very file, else the ones
    whose root folder is the deepest holding it."""
    filename = norm_path(filename) or ""
    exact = {name for name, loc in theirs.items() if norm_path(loc["spec"].get("file")) == filename
             or norm_path(loc["spec"].get("root")) == filename}
    if exact:
        return exact
    holding = [(len(root), name) for name, loc in theirs.items()
               for root in [norm_path(loc["spec"].get("root")) or ""] if filename.startswith(root.rstrip("/") + "/")
               or root in ("", ".")]
    deepest = max((depth for depth, _ in holding), default=None)
    return {name for depth, name in holding if depth == deepest}


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def goal(figures: dict, corpus: dict, findings: list | None) -> dict:
    """Key and edge recall and precision over the locations Dagster loaded; per rejected location, the rule
    that covers Dagster's error and whether asset-lint reported it there; the findings on loaded locations."""
    theirs = corpus_locations(corpus)
    loaded = [r for r in figures["locations"] if r["loaded"]]
    sums = {f: sum(r[f] for r in loaded) for f in ("found", "keys", "extra", "edges_found", "edges", "edges_extra")}
    rejected, on_loaded = [], {}
    by_location: dict = {}
    for finding in findings or []:
        for name in locations_of_file(finding.get("filename"), theirs):
            by_location.setdefault(name, []).append(finding)
    for name, loc in sorted(theirs.items()):
        if loc["ok"]:
            for finding in by_location.get(name, []):
                on_loaded[finding["code"]] = on_loaded.get(finding["code"], 0) + 1
            continue
        rule = covering_rule(loc["errors"])
        hits = [f for f in by_location.get(name, []) if f.get("code") == rule] if rule else []
        first = loc["errors"][0] if loc["errors"] else {}
        rejected.append({"location": name, "rule": rule, "reported": bool(hits) if findings is not None else None,
                         "error": f"{first.get('type', '')}: {first.get('message', '')}".strip()[:160],
                         "findings": [f"{f.get('filename')}:{(f.get('location') or {}).get('row')} {f.get('message')}"
                                      for f in hits]})
    return {"loaded_locations": len(loaded),
            "keys_recall": ratio(sums["found"], sums["keys"]),
            "keys_precision": ratio(sums["found"], sums["found"] + sums["extra"]),
            "edges_recall": ratio(sums["edges_found"], sums["edges"]),
            "edges_precision": ratio(sums["edges_found"], sums["edges_found"] + sums["edges_extra"]),
            "rejected": rejected, "findings_on_loaded_locations": dict(sorted(on_loaded.items()))}


def _meets(value: float | None, bound: float) -> str:
    return "-" if value is None else f"{value:.3f} ({'ok' if value >= bound else 'below ' + str(bound)})"


def print_goal(project: str, g: dict, named: list) -> None:
    shown = ", ".join(named[:4]) + (f" and {len(named) - 4} more" if len(named) > 4 else "")
    print(f"goal, {project}: {g['loaded_locations']} locations Dagster loaded"
          + (f" (named on the command line: {shown})" if named else ""))
    print(f"  keys  recall {_meets(g['keys_recall'], GOAL['recall'])}  precision "
          f"{_meets(g['keys_precision'], GOAL['precision'])}")
    print(f"  edges recall {_meets(g['edges_recall'], GOAL['recall'])}  precision "
          f"{_meets(g['edges_precision'], GOAL['precision'])}")
    covered = [r for r in g["rejected"] if r["rule"]]
    caught = [r for r in covered if r["reported"]]
    print(f"  rejected by Dagster: {len(g['rejected'])}, a rule covers {len(covered)}, its finding reported in "
          f"{len(caught)}")
    for r in g["rejected"]:
        verdict = "no rule covers it" if not r["rule"] else \
            f"{r['rule']} {'caught' if r['reported'] else 'MISSED' if r['reported'] is False else '?'}"
        print(f"    {r['location']}: {verdict}: {r['error']}")
    if g["findings_on_loaded_locations"]:
        print("  findings on locations Dagster loaded: "
              + ", ".join(f"{code} x{n}" for code, n in g["findings_on_loaded_locations"].items()))


# ---------------------------------------------------------------------------------------------
# Printing


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else f"{a}/0"


def total_line(t: dict) -> str:
    return (f"keys: {pct(t['found'], t['keys'])} extra {t['extra']} | "
            f"edges: {pct(t['edges_found'], t['edges'])} extra {t['edges_extra']} | "
            f"file:line {t['lines_ok']}/{t['matched']} | kind {t['kinds_ok']}/{t['matched']} | "
            f"group {t['groups_ok']}/{t['matched']} | not statically visible: "
            f"{t['invisible_found']}/{t['invisible']} keys, "
            f"{t['invisible_edges_found']}/{t['invisible_edges']} edges found")


def print_report(figures: dict, verbose: bool) -> None:
    limit = None if verbose else 6
    cut = lambda items: items if limit is None else items[:limit]  # noqa: E731
    more = lambda items: "" if limit is None or len(items) <= limit else f" (+{len(items) - limit})"  # noqa: E731
    print(f"{figures.get('project')} @ {str(figures.get('commit'))[:12]}")
    header = (f"{'location':<26} {'dagster':>7} {'ours':>8} {'keys':>9} {'extra':>5} {'edges':>9} "
              f"{'extra':>5} {'file:line':>9} {'kind':>7} {'group':>7} {'invisible':>9}")
    print(header)
    print("-" * len(header))
    for r in figures["locations"]:
        ours = {True: "complete", False: "partial", None: "-"}[r["complete"]]
        print(f"{r['location']:<26} {'ok' if r['loaded'] else 'FAILED':>7} {ours:>8} "
              f"{r['found']:>4}/{r['keys']:<4} {r['extra']:>5} {r['edges_found']:>4}/{r['edges']:<4} "
              f"{r['edges_extra']:>5} {r['lines_ok']:>4}/{r['matched']:<4} {r['kinds_ok']:>3}/{r['matched']:<3} "
              f"{r['groups_ok']:>3}/{r['matched']:<3} {r['invisible_found']:>4}/{r['invisible']:<4}")
    print("-" * len(header))
    for r in figures["locations"]:
        details = []
        if r["errors"]:
            details.append("  dagster failed to load it: " + "; ".join(r["errors"]))
        for label, items in (("missing keys", r["missing_keys"]), ("extra keys", r["extra_keys"]),
                             ("not statically visible", r["invisible_keys"]),
                             ("duplicate keys in our output", r["duplicate_keys"])):
            if items:
                details.append(f"  {label}: {', '.join(cut(items))}{more(items)}")
        for label, items in (("missing edges", r["missing_edges"]), ("extra edges", r["extra_edges"])):
            if items:
                details.append(f"  {label}: " + ", ".join(f"{k} <- {d}" for k, d in cut(items)) + more(items))
        for label, items in (("file:line differs", r["line_mismatches"]), ("kind differs", r["kind_mismatches"]),
                             ("group differs", r["group_mismatches"])):
            if items:
                details.append(f"  {label}: " + ", ".join(f"{m['key']} (corpus {m['corpus']}, ours {m['ours']})"
                                                          for m in cut(items)) + more(items))
        if details:
            print(f"{r['location']}:")
            print("\n".join(details))
    for u in figures["locations_not_in_corpus"]:
        print(f"location not in corpus: {u['location']} ({u['module']}), {u['keys']} keys: "
              f"{', '.join(u['sample'])}{' ...' if u['keys'] > len(u['sample']) else ''}")
    print(total_line(figures["total"]))


# ---------------------------------------------------------------------------------------------
# Self-test: a fake asset-lint output built from the corpus itself


def fake_output(corpus: dict) -> dict:
    """What a perfect asset-lint would print. Every other location is named differently (with the
    right module), so the module fallback is exercised too."""
    assets, locations = [], []
    for i, (name, loc) in enumerate(sorted(corpus_locations(corpus).items())):
        module = loc["spec"].get("module")
        ours_name = name if i % 2 == 0 or not module else f"renamed_{i}"
        locations.append({"name": ours_name, "module": module, "complete": True})
        for key, a in loc["assets"].items():
            if a.get("auto_stub"):
                continue
            assets.append({"key": key, "deps": list(a.get("deps") or []), "kind": a.get("kind"),
                           "group": a.get("group"), "filename": a.get("file"), "line": a.get("line"),
                           "location": ours_name})
    return {"assets": assets, "ops": [], "jobs": [], "locations": locations}


def self_test(paths: list[Path]) -> int:
    failures = 0
    if not paths:
        print("self-test: no corpus JSON given and none found in ../shared/corpus/")
        return 1
    for path in paths:
        corpus = json.loads(path.read_text())
        perfect = compare(corpus, fake_output(corpus))
        t = perfect["total"]
        ok = (t["found"] == t["keys"] and t["edges_found"] == t["edges"] and t["extra"] == 0
              and t["edges_extra"] == 0 and t["lines_ok"] == t["matched"] == t["keys"]
              and t["kinds_ok"] == t["matched"] and t["groups_ok"] == t["matched"]
              and t["invisible_found"] == t["invisible"] and not perfect["locations_not_in_corpus"])
        print(f"{'ok  ' if ok else 'FAIL'} {path.name} perfect: {total_line(t)}")
        failures += not ok

        # The same, checked out elsewhere: keys that embed the checkout path must still match.
        repo_dir = (corpus.get("repo") or corpus.get("project") or "").split("/")[-1]
        theirs_root = _sanitise("/".join(p for p in (CORPUS_ROOT, repo_dir, corpus.get("subfolder") or "") if p))
        folder = Path("/elsewhere/checkout") / repo_dir
        moved = json.loads(json.dumps(fake_output(corpus)).replace(theirs_root, _sanitise(str(folder.resolve()))))
        m = compare(corpus, moved, folder)["total"]
        embeds = theirs_root in json.dumps(corpus.get("assets"))
        ok = (m["found"], m["edges_found"], m["extra"], m["edges_extra"]) == (t["found"], t["edges_found"], 0, 0)
        print(f"{'ok  ' if ok else 'FAIL'} {path.name} moved checkout"
              f"{'' if embeds else ' (no key embeds the checkout path)'}: {total_line(m)}")
        failures += not ok

        # Damage a copy: drop one visible asset, add an extra key and an extra edge, move a line,
        # flip a kind, add a location the corpus does not have; check each shows exactly once.
        damaged = fake_output(corpus)
        visible_assets = [a for a in damaged["assets"] if a["filename"] and "site-packages" not in a["filename"]]
        if not visible_assets:
            continue
        dropped = max(visible_assets, key=lambda a: (len(a["deps"]), a["key"]))
        damaged["assets"].remove(dropped)
        victim = next(a for a in damaged["assets"] if a in visible_assets)
        victim["line"] = (victim["line"] or 0) + 1
        victim["kind"] = "observable" if victim["kind"] != "observable" else "materializable"
        victim["deps"].append("no/such/parent")
        damaged["assets"].append(dict(victim, key="no/such/key", deps=[]))
        damaged["assets"].append(dict(victim, key="elsewhere", deps=[], location="not_a_location"))
        damaged["locations"].append({"name": "not_a_location", "module": "nowhere", "complete": True})
        dropped_loc = compare(corpus, damaged)["total"]
        d = dropped_loc
        expected = {"found": t["found"] - 1, "extra": 1, "edges_found": t["edges_found"] - len(dropped["deps"]),
                    "edges_extra": 1, "lines_ok": t["lines_ok"] - 2, "kinds_ok": t["kinds_ok"] - 2,
                    "matched": t["matched"] - 1}
        got = {k: d[k] for k in expected}
        ok = got == expected and len(compare(corpus, damaged)["locations_not_in_corpus"]) == 1
        print(f"{'ok  ' if ok else 'FAIL'} {path.name} damaged: {total_line(d)}")
        if not ok:
            print(f"     expected {expected}\n     got      {got}")
        failures += not ok
        # The goal: a finding of the covering rule in each rejected location's files is "caught", none is not.
        theirs = corpus_locations(corpus)
        planted = [{"code": covering_rule(loc["errors"]), "message": "planted", "location": {"row": 1},
                    "filename": loc["spec"]["root"] if loc["spec"]["root"].endswith(".py")
                    else f"{loc['spec']['root']}/planted.py"}
                   for loc in theirs.values() if not loc["ok"] and covering_rule(loc["errors"])
                   and loc["spec"].get("root") is not None]
        caught = goal(perfect, corpus, planted)
        missed = goal(perfect, corpus, [])
        ok = (all(r["reported"] for r in caught["rejected"] if r["rule"])
              and not any(r["reported"] for r in missed["rejected"])
              and caught["keys_recall"] in (None, 1.0) and caught["edges_precision"] in (None, 1.0))
        print(f"{'ok  ' if ok else 'FAIL'} {path.name} goal: {len(planted)} planted findings of "
              f"{sum(1 for r in caught['rejected'] if r['rule'])} covered rejections")
        failures += not ok
    print(f"{4 * len(paths) - failures} passed, {failures} failed")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("corpus", type=Path, nargs="?", help="one of ../shared/corpus/*.json")
    parser.add_argument("folder", type=Path, nargs="?", help="the project folder the corpus names")
    parser.add_argument("--asset-lint", metavar="CMD", help="command to run (default: python -m asset_lint)")
    parser.add_argument("--name-locations", action="store_true",
                        help="pass the corpus's locations to asset-lint as -m NAME=MODULE instead of "
                             "letting it discover them (the university's lessons are declared nowhere)")
    parser.add_argument("--ours", type=Path, metavar="FILE", help="read asset-lint's JSON from FILE, run nothing")
    parser.add_argument("--corpus-root", default=CORPUS_ROOT,
                        help=f"where the corpus harness had the checkout (default {CORPUS_ROOT})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every missing/extra item")
    parser.add_argument("--self-test", nargs="*", type=Path, metavar="CORPUS_JSON",
                        help="check the comparison itself on fake outputs made from the corpus")
    parser.add_argument("--goal", action="store_true",
                        help="also run `check` and print the issue's goal: key and edge recall and precision "
                             "on the locations Dagster loaded, and per rejected location whether its rule's "
                             "finding is there")
    parser.add_argument("--all", type=Path, metavar="PROJECTS_DIR",
                        help="the goal for every corpus (../shared/corpus/*.json), each project in PROJECTS_DIR/NAME")
    args = parser.parse_args(argv)

    if args.self_test is not None:
        paths = list(args.self_test) + ([args.corpus] if args.corpus else [])
        return self_test(paths or DEFAULT_CORPORA)
    if args.all:
        return goal_for_all(args)
    if args.corpus is None or args.folder is None:
        parser.error("CORPUS_JSON and PROJECT_FOLDER are required (or --self-test, --all)")
    corpus = json.loads(args.corpus.read_text())
    findings, named = None, []
    if args.ours:
        ours = json.loads(args.ours.read_text())
    else:
        ours, findings, named = lint_project(args.asset_lint, args.folder, corpus, args.name_locations, args.goal)
    figures = compare(corpus, ours, args.folder, args.corpus_root)
    if args.goal:
        figures["goal"] = goal(figures, corpus, findings)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures, args.verbose)
        if args.goal:
            print_goal(figures.get("project") or args.corpus.stem, figures["goal"], named)
    return 0


def goal_for_all(args) -> int:
    """The goal per project, then the rejected locations summed over the corpus."""
    covered = caught = 0
    for path in DEFAULT_CORPORA:
        folder = args.all / path.stem
        if not folder.is_dir():
            print(f"goal, {path.stem}: no folder {folder}")
            continue
        corpus = json.loads(path.read_text())
        ours, findings, named = lint_project(args.asset_lint, folder, corpus, args.name_locations, True)
        g = goal(compare(corpus, ours, folder, args.corpus_root), corpus, findings)
        print_goal(path.stem, g, named)
        covered += sum(1 for r in g["rejected"] if r["rule"])
        caught += sum(1 for r in g["rejected"] if r["rule"] and r["reported"])
    print(f"rejected locations a rule covers: {covered}, its finding reported in {caught}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
