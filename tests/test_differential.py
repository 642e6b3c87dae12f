"""Differential tests: real Dagster (pinned, from PyPI) is the oracle for asset-lint's graph.

Every loadable project — fixture cases marked `[tool.fixture] dagster = "loads"`, the bundled
examples, and each catalogue entry's "Use instead" — is loaded by Dagster in a subprocess, and for
each code location asset-lint finds, Dagster's keys, parents and kinds must equal asset-lint's.
Cases marked `dagster = "fails"` must make Dagster raise (with the expected message, when given).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dagster")

from asset_lint.catalogue import load_catalogue, write_example_project  # noqa: E402
from asset_lint.engine import analyse  # noqa: E402
from asset_lint.graph import graph_payload  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TESTS = Path(__file__).resolve().parent
ORACLE = TESTS / "differential" / "dagster_oracle.py"


def _fixture_cases(verdict: str) -> list:
    cases = []
    for pyproject in sorted((TESTS / "fixtures").glob("DG*/*/pyproject.toml")):
        fixture = tomllib.loads(pyproject.read_text()).get("tool", {}).get("fixture", {})
        if fixture.get("dagster") == verdict:
            cases.append(pytest.param(pyproject.parent, fixture.get("error"),
                                      id=f"{pyproject.parent.parent.name}/{pyproject.parent.name}"))
    return cases


def oracle(project: Path, module: str) -> dict:
    result = subprocess.run([sys.executable, str(ORACLE), str(project), module], capture_output=True, text=True,
                            cwd=project, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def ours(project: Path) -> dict:
    analysis = analyse([str(project)], {"select": ()}, use_cache=False)
    payload = graph_payload(analysis.project, analysis.graphs)
    by_location: dict = {loc["name"]: {"module": loc["module"], "complete": loc["complete"], "assets": {}}
                         for loc in payload["locations"]}
    for asset in payload["assets"]:
        by_location[asset["location"]]["assets"][asset["key"]] = {"deps": asset["deps"], "kind": asset["kind"]}
    return by_location


def assert_same_graph(project: Path) -> int:
    """Compare every code location; returns how many locations were compared."""
    locations = ours(project)
    assert locations, "asset-lint found no code location"
    for name, location in locations.items():
        theirs = oracle(project, location["module"])
        assert theirs["error"] is None, theirs["error"]
        expected = {k: {"deps": v["deps"], "kind": v["kind"]} for k, v in theirs["assets"].items() if not v["auto_stub"]}
        if location["complete"]:
            assert location["assets"] == expected, name
        else:  # some keys are unknown statically: what asset-lint does claim must still be right
            for key, asset in location["assets"].items():
                assert key in expected and set(asset["deps"]) <= set(expected[key]["deps"]), key
    return len(locations)


@pytest.mark.parametrize("project,error", _fixture_cases("loads"))
def test_fixture_graph_equals_dagster(project: Path, error) -> None:
    assert_same_graph(project)


@pytest.mark.parametrize("project,error", _fixture_cases("fails"))
def test_fixture_that_dagster_rejects(project: Path, error) -> None:
    for location in ours(project).values():
        theirs = oracle(project, location["module"])
        assert theirs["error"] is not None, "Dagster loaded a fixture marked as failing"
        if error:
            assert error in theirs["error"]["full"], theirs["error"]


def test_examples_equal_dagster() -> None:
    assert assert_same_graph(TESTS.parent / "examples") == 6


@pytest.mark.parametrize("code", sorted(load_catalogue()))
def test_catalogue_use_instead_equals_dagster(code: str, tmp_path: Path) -> None:
    write_example_project(load_catalogue()[code].use_instead, tmp_path)
    assert_same_graph(tmp_path)


@pytest.mark.parametrize("code", sorted(load_catalogue()))
def test_catalogue_example_matches_its_verdict(code: str, tmp_path: Path) -> None:
    """load-error entries fail in Dagster; silent ones load (and their graph is ours)."""
    doc = load_catalogue()[code]
    write_example_project(doc.example, tmp_path)
    if doc.dagster == "silent":
        assert_same_graph(tmp_path)
    elif doc.dagster == "load-error":
        errors = [oracle(tmp_path, loc["module"])["error"] for loc in ours(tmp_path).values()]
        assert all(errors), errors
