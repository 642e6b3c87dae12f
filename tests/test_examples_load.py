"""The bundled examples load in real Dagster, as six code locations.

Each module of `examples/` is imported in a fresh forked child of one Dagster process
(dagster_process.py; cwd `examples/`, no bytecode written),
the way a code location loads it: `Definitions.validate_loadable(defs)` must pass, the
op jobs must be wired as the guide wires them and make no assets, the asset rewrites must have the
asset graph the guide intends (user_recommender_model <- users <- raw_users), and every job must
run with `execute_in_process()`. The Dagster CLI must validate the whole workspace too.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dagster_process import run_python

pytest.importorskip("dagster")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
SENTINEL = "EXAMPLE-JSON:"

# Run in the subprocess: import one module, validate it, describe it, run its jobs.
LOADER = r"""
import importlib, json, logging, sys, warnings
sys.dont_write_bytecode = True
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
from dagster import Definitions

module = importlib.import_module(sys.argv[1])
defs = module.defs
Definitions.validate_loadable(defs)
graph = defs.resolve_asset_graph()
assets = {}
for key in graph.get_all_asset_keys():
    node = graph.get(key)
    kind = "materializable" if node.is_materializable else "observable" if node.is_observable else "external"
    assets[key.to_user_string()] = {"deps": sorted(p.to_user_string() for p in node.parent_keys), "kind": kind}
jobs = {}
for job in defs.resolve_all_job_defs():
    structure = job.graph.dependency_structure
    edges = sorted([node.name, handle.input_name, upstream.node_name, upstream.output_name]
                   for node in job.graph.nodes
                   for handle, upstreams in structure.input_to_upstream_outputs_for_node(node.name).items()
                   for upstream in upstreams)
    result = job.execute_in_process(raise_on_error=False)
    failures = [event.message for event in result.all_events if event.is_failure]
    jobs[job.name] = {"nodes": sorted(node.name for node in job.graph.nodes), "edges": edges,
                      "success": result.success, "failures": failures[:3]}
print(__SENTINEL__ + json.dumps({"assets": assets, "jobs": jobs}))
""".replace("__SENTINEL__", repr(SENTINEL))

OP_JOBS = {
    "op_jobs.io_manager_tables": {
        "users_recommender_job": {
            "nodes": ["build_user_recommender_model", "build_users"],
            # raw_users has no upstream op: the "warehouse" input manager loads it
            "edges": [["build_user_recommender_model", "users", "build_users", "users"]],
        },
    },
    "op_jobs.inline_io_tables": {
        "users_recommender_job": {
            "nodes": ["build_user_recommender_model", "build_users"],
            # the In(Nothing) input: ordering only
            "edges": [["build_user_recommender_model", "users", "build_users", "result"]],
        },
    },
    "op_jobs.transient_and_tables": {
        "ingest_products_and_categories": {
            "nodes": ["extract_products", "get_categories", "write_categories_table", "write_products_table"],
            "edges": [["get_categories", "products", "extract_products", "result"],
                      ["write_categories_table", "categories", "get_categories", "result"],
                      ["write_products_table", "products", "extract_products", "result"]],
        },
    },
}

USERS_CHAIN = {
    "raw_users": {"deps": [], "kind": "external"},
    "users": {"deps": ["raw_users"], "kind": "materializable"},
    "user_recommender_model": {"deps": ["users"], "kind": "materializable"},
}
REWRITES = {
    "asset_rewrites.io_manager_tables": USERS_CHAIN,
    "asset_rewrites.inline_io_tables": USERS_CHAIN,
    "asset_rewrites.transient_and_tables": {
        "products": {"deps": [], "kind": "materializable"},
        "categories": {"deps": ["products"], "kind": "materializable"},
    },
}
MODULES = [*OP_JOBS, *REWRITES]


@functools.lru_cache(maxsize=None)
def load(module: str) -> dict:
    """Dagster's view of one example module, from its own forked child."""
    result = run_python(["-c", LOADER, module], cwd=EXAMPLES)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith(SENTINEL)]
    assert lines, (result.stdout[-2000:], result.stderr[-2000:])
    return json.loads(lines[-1][len(SENTINEL):])


def test_both_configs_declare_the_six_locations() -> None:
    """pyproject.toml ([tool.dagster] modules) and workspace.yaml name the same six modules."""
    dagster = tomllib.loads((EXAMPLES / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["dagster"]
    assert [entry["type"] for entry in dagster["modules"]] == ["module"] * len(MODULES)
    assert sorted(entry["name"] for entry in dagster["modules"]) == sorted(MODULES)
    workspace = (EXAMPLES / "workspace.yaml").read_text(encoding="utf-8")
    assert sorted(re.findall(r"module_name:\s*([\w.]+)", workspace)) == sorted(MODULES)
    for module in MODULES:
        assert (EXAMPLES / (module.replace(".", "/") + ".py")).is_file(), module


@pytest.mark.parametrize("module", list(OP_JOBS))
def test_op_job_loads_wired_as_the_guide_and_makes_no_assets(module: str) -> None:
    view = load(module)
    assert view["assets"] == {}, "ops and op jobs create no asset nodes"
    assert {name: {"nodes": job["nodes"], "edges": job["edges"]} for name, job in view["jobs"].items()} \
        == OP_JOBS[module]


@pytest.mark.parametrize("module", list(REWRITES))
def test_rewrite_loads_with_the_intended_asset_graph(module: str) -> None:
    view = load(module)
    assert view["assets"] == REWRITES[module]
    assert list(view["jobs"]) == ["__ASSET_JOB"]


@pytest.mark.parametrize("module", MODULES)
def test_every_job_runs(module: str) -> None:
    """The stand-ins in mylib are enough to run each job end to end (in memory, nothing real)."""
    for name, job in load(module)["jobs"].items():
        assert job["success"], (name, job["failures"])


def test_dagster_cli_validates_the_workspace(tmp_path: Path) -> None:
    """`dagster definitions validate -w workspace.yaml`, as a user would run it from examples/."""
    result = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                            capture_output=True, text=True, cwd=EXAMPLES,
                            env={**ENV, "DAGSTER_HOME": str(tmp_path)}, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    for module in MODULES:
        assert f"Validation successful for code location {module}." in output, output[-3000:]
    assert "All code locations passed validation." in output
