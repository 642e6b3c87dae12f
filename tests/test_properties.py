"""Property tests: generated Dagster-shaped projects keep asset-lint's invariants; random text never raises."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from asset_lint.engine import analyse  # noqa: E402
from asset_lint.extract import extract_source  # noqa: E402

PREFIXES = ["", "raw", "staging"]
# CI runs a small budget; ASSET_LINT_FUZZ=N multiplies it for a long fuzzing session.
SCALE = int(os.environ.get("ASSET_LINT_FUZZ", "1"))
SETTINGS = settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def projects(draw):
    """(files, keys, edges): a clean project of random assets spread over a few modules."""
    count = draw(st.integers(min_value=2, max_value=14))
    modules = draw(st.integers(min_value=1, max_value=4))
    assets = []
    for i in range(count):
        prefix = draw(st.sampled_from(PREFIXES))
        upstream = (draw(st.lists(st.integers(min_value=0, max_value=max(i - 1, 0)), max_size=3, unique=True))
                    if i else [])
        style = draw(st.sampled_from(["param", "deps_str", "deps_obj", "asset_key", "asset_in"]))
        assets.append({"name": f"a{i}", "prefix": prefix, "upstream": upstream, "style": style,
                       "module": draw(st.integers(min_value=0, max_value=modules - 1)), "multi": i % 5 == 4})
    return assets


def key_of(asset) -> str:
    return f"{asset['prefix']}/{asset['name']}" if asset["prefix"] else asset["name"]


def render(assets, rename=None) -> dict:
    """Write each asset in its style; prefixes come from a constants module."""
    files = {"pyproject.toml": '[tool.dagster]\nmodule_name = "proj.definitions"\n', "proj/__init__.py": "",
             "proj/constants.py": "".join(f'P_{p or "NONE"} = "{p}"\n' for p in PREFIXES)}
    bodies = {m: ["import dagster as dg", "from dagster import AssetIn, AssetKey, AssetOut, asset, multi_asset",
                  "from .constants import *"] for m in {a["module"] for a in assets}}
    rename = rename or {}
    for index, a in enumerate(assets):
        name = rename.get(a["name"], a["name"])
        ups = [assets[u] for u in a["upstream"]]
        params, deps, ins = [], [], []
        for u in ups:
            path = ", ".join(f'"{p}"' for p in ([u["prefix"]] if u["prefix"] else []) + [u["name"]])
            if a["style"] == "asset_in" or (a["style"] == "param" and u["prefix"]):
                params.append(f"in_{u['name']}")
                ins.append(f'"in_{u["name"]}": AssetIn(key=[{path}])')
            elif a["style"] == "param":
                params.append(u["name"])
            elif a["style"] == "deps_obj" and u["module"] == a["module"] and not u["multi"] \
                    and assets.index(u) < index:  # an object must exist before it is referenced
                deps.append(rename.get(u["name"], u["name"]))  # a rename refactors object references too
            elif a["style"] == "deps_str" and not u["prefix"]:
                deps.append(f'"{u["name"]}"')
            else:
                deps.append(f"AssetKey([{path}])")
        prefix = f'P_{a["prefix"] or "NONE"}'
        if a["multi"]:
            decorator = (f'@multi_asset(outs={{"{name}": AssetOut(key_prefix={prefix})}}, name="op_{name}"'
                         + (f", deps=[{', '.join(deps)}]" if deps else "")
                         + (f", ins={{{', '.join(ins)}}}" if ins else "") + ")")
        else:
            decorator = (f"@dg.asset(key_prefix={prefix}" + (f", deps=[{', '.join(deps)}]" if deps else "")
                         + (f", ins={{{', '.join(ins)}}}" if ins else "") + ")")
        bodies[a["module"]] += [decorator, f"def {name}({', '.join(params)}):", "    return None", ""]
    for m, lines in bodies.items():
        files[f"proj/mod{m}.py"] = "\n".join(lines) + "\n"
    modules = ", ".join(f"mod{m}" for m in sorted(bodies))
    files["proj/definitions.py"] = (f"from dagster import Definitions, load_assets_from_modules\n"
                                    f"from . import {modules}\n"
                                    f"defs = Definitions(assets=load_assets_from_modules([{modules}]))\n")
    return files


def lint(files: dict):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        analysis = analyse([str(root)], {"select": ("DG",)}, use_cache=False)
        keys = {s.key for g in analysis.graphs for s in g.location.specs}
        return analysis.findings, keys, analysis.graphs


@SETTINGS
@given(projects())
def test_clean_projects_have_declared_keys_and_no_finding(assets):
    findings, keys, graphs = lint(render(assets))
    assert findings == []
    assert {"/".join(k) for k in keys} == {key_of(a) for a in assets}
    edges = {(u, v) for g in graphs for u, vs in g.children.items() for v in vs}
    expected = {(tuple(key_of(assets[u]).split("/")), tuple(key_of(a).split("/")))
                for a in assets for u in a["upstream"]}
    assert edges == expected


@SETTINGS
@given(projects())
def test_an_injected_cycle_is_always_found(assets):
    last = len(assets) - 1
    assets[0]["upstream"] = [last]  # a0 <- newest <- a0: a cycle whatever else the project holds
    if 0 not in assets[last]["upstream"]:
        assets[last]["upstream"] = [*assets[last]["upstream"], 0]
    findings, _, _ = lint(render(assets))
    assert "DG001" in {f.code for f in findings}


@SETTINGS
@given(projects(), st.data())
def test_renaming_a_producer_yields_dg002(assets, data):
    consumers = [a for a in assets if a["upstream"]]
    if not consumers:
        return
    consumer = data.draw(st.sampled_from(consumers))
    producer = assets[data.draw(st.sampled_from(consumer["upstream"]))]
    findings, _, _ = lint(render(assets, rename={producer["name"]: producer["name"] + "_renamed"}))
    by_object = consumer["style"] == "deps_obj" and producer["module"] == consumer["module"] and not producer["multi"]
    if producer["multi"] or by_object:
        return  # a multi-asset output keeps its key; an object reference follows the rename
    assert "DG002" in {f.code for f in findings}


def _write(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def _same_as_fresh(root: Path):
    def run(use_cache: bool):
        analysis = analyse([str(root)], {"select": ("DG",)}, use_cache=use_cache)
        return [(f.code, f.path, f.site.span, f.message) for f in analysis.findings], analysis
    cached, analysis = run(True)
    assert cached == run(False)[0]
    return analysis


@SETTINGS
@given(projects(), st.data())
def test_resuming_the_last_resolve_after_edits_finds_what_a_fresh_run_finds(assets, data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, render(assets))
        _same_as_fresh(root)
        _write(root, {"proj/constants.py": render(assets)["proj/constants.py"] + "EXTRA = 1\n"})
        _same_as_fresh(root)   # the first computed run with a cache writes the snapshot
        for _ in range(3):
            edit = data.draw(st.sampled_from(["rename", "cycle", "upstream", "prefix"]))
            victim = data.draw(st.sampled_from(assets))
            if edit == "cycle" and len(assets) > 1:
                victim["upstream"] = sorted(set(victim["upstream"]) | {len(assets) - 1})
            elif edit == "upstream":
                victim["upstream"] = data.draw(st.lists(st.integers(0, len(assets) - 1), max_size=3, unique=True))
            elif edit == "prefix":
                victim["prefix"] = data.draw(st.sampled_from(PREFIXES))
            rename = {victim["name"]: victim["name"] + "_x"} if edit == "rename" else None
            _write(root, render(assets, rename))
            _same_as_fresh(root)


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_random_source_never_raises(text):
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    facts = extract_source(data, "x.py", "x", False)
    assert facts.rel == "x.py"


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.lists(st.sampled_from(["@asset", "@asset(deps=[", "def f(", "x = ", "AssetKey([", "'a'", ",", ")", "]",
                                 "):", "\n", "    ", "import dagster", "from dagster import *", "*", "**k",
                                 "f'{x}'", "Definitions(assets=[", "load_assets_from_modules([", "mod"]), max_size=40))
def test_dagster_shaped_garbage_never_raises(tokens):
    source = "".join(tokens)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "m.py").write_text("from dagster import asset, AssetKey, Definitions\n" + source)
        (Path(folder) / "pyproject.toml").write_text("")
        analyse([folder], {"select": ("DG",)}, use_cache=False)
