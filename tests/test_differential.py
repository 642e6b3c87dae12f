"""Differential tests: real Dagster (pinned, from PyPI) is the oracle for asset-lint's graph.

Every fixture case declares Dagster's verdict in `[tool.fixture] dagster = "loads" | "fails"`.
The oracle half (`differential/dagster_oracle.py`, no asset-lint import) proves those verdicts:
"loads" cases load, "fails" cases raise the stated error; each load runs in a forked child of one
long-lived Dagster process (dagster_process.py). The comparison half runs `asset-lint graph CASE
--format json` (in this process) and, per code location, requires Dagster's keys
(auto-created stubs aside), each key's sorted parents (stubs included), kind and group to equal
ours (the group matters: it decides Dagster's same-group re-mapping, R3.2).
The bundled examples and each catalogue entry's projects are compared the same way.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import sys
from pathlib import Path

import pytest

from dagster_process import run_python
from markers import read_markers

pytest.importorskip("dagster")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ORACLE = TESTS / "differential" / "dagster_oracle.py"


def _fixture_setting(case: Path) -> dict:
    return tomllib.loads((case / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("fixture", {})


def _fixture_cases(verdict: str) -> list:
    return [pytest.param(case, _fixture_setting(case).get("error"), id=f"{case.parent.name}/{case.name}")
            for case in sorted(p.parent for p in (TESTS / "fixtures").glob("DG*/*/pyproject.toml"))
            if _fixture_setting(case).get("dagster") == verdict]


def _catalogue_codes() -> list:
    return sorted(path.name.split("-")[0] for path in (REPO / "rules").glob("DG[0-9][0-9][0-9]-*.md"))


def declared_modules(project: Path) -> list:
    """The code-location modules a project declares, read the way Dagster reads them (R5.7)."""
    modules = []
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        dagster = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("dagster", {})
        if "module_name" in dagster:
            modules.append(dagster["module_name"])
        modules.extend(entry["name"] for entry in dagster.get("modules", []))
    workspace = project / "workspace.yaml"
    if workspace.is_file():
        text = workspace.read_text(encoding="utf-8")
        modules.extend(re.findall(r"module_name:\s*([\w.]+)", text))
        modules.extend("file:" + path for path in re.findall(r"relative_path:\s*([\w./-]+\.py)", text))
    return list(dict.fromkeys(modules))


def oracle(project: Path, modules: list) -> dict:
    """{module: Dagster's view} from one forked child of the Dagster process (dagster_process.py); each
    module is imported afresh."""
    return json.loads(_oracle_output(project, tuple(modules)))


@functools.lru_cache(maxsize=None)
def _oracle_output(project: Path, modules: tuple) -> str:
    """Memoised per module set: a fixture is loaded by Dagster once for all the tests that ask."""
    result = run_python([ORACLE, project, *modules], cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def ours(project: Path) -> dict:
    """{location: {"module", "complete", "assets": {key: {deps, kind, group}}}} from asset-lint's graph command
    (run in this process: a fresh Python for each of some 300 calls would cost a minute and a half)."""
    from asset_lint.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(["graph", str(project), "--format", "json"])
    assert out.getvalue().strip(), err.getvalue()[-3000:]
    payload = json.loads(out.getvalue())
    locations = {loc["name"]: {"module": loc.get("module", loc["name"]), "complete": loc.get("complete", True),
                               "assets": {}} for loc in payload.get("locations", [])}
    for asset in payload["assets"]:
        location = locations.setdefault(asset["location"], {"module": asset["location"], "complete": True,
                                                            "assets": {}})
        location["assets"][asset["key"]] = {"deps": sorted(asset["deps"]), "kind": asset["kind"],
                                            "group": asset.get("group")}
    return locations


def assert_same_graph(project: Path) -> int:
    """Compare every code location asset-lint finds with Dagster's; returns how many were compared."""
    locations = ours(project)
    assert locations, "asset-lint found no code location"
    theirs_by_module = oracle(project, sorted({location["module"] for location in locations.values()}))
    for name, location in locations.items():
        theirs = theirs_by_module[location["module"]]
        assert theirs["error"] is None, theirs["error"]
        expected = {key: {"deps": node["deps"], "kind": node["kind"], "group": node["group"]}
                    for key, node in theirs["assets"].items() if not node["auto_stub"]}
        if location["complete"]:
            assert location["assets"] == expected, name
        else:  # some keys are unknown statically: what asset-lint does claim must still be right
            for key, asset in location["assets"].items():
                assert key in expected and set(asset["deps"]) <= set(expected[key]["deps"]), (name, key)
    return len(locations)


@pytest.mark.parametrize("project,error", _fixture_cases("loads"))
def test_fixture_loads_in_dagster(project: Path, error) -> None:
    """The oracle half: a case marked "loads" loads in every code location it declares."""
    modules = sorted(declared_modules(project))
    assert modules, "the fixture declares no code location"
    for module, theirs in oracle(project, modules).items():
        assert theirs["error"] is None, (module, theirs["error"])


@pytest.mark.parametrize("project,error", _fixture_cases("fails"))
def test_fixture_that_dagster_rejects(project: Path, error) -> None:
    """The oracle half: a case marked "fails" makes Dagster raise, with the stated message."""
    modules = declared_modules(project)
    assert modules, "the fixture declares no code location"
    for module, theirs in oracle(project, modules).items():
        assert theirs["error"] is not None, f"Dagster loaded {module}, marked as failing"
        if error:
            assert error in theirs["error"]["full"], theirs["error"]


@pytest.mark.parametrize("project,error", _fixture_cases("loads"))
def test_fixture_graph_equals_dagster(project: Path, error) -> None:
    assert_same_graph(project)


def test_examples_equal_dagster() -> None:
    assert assert_same_graph(REPO / "examples") == 6


@pytest.mark.parametrize("code", _catalogue_codes())
def test_catalogue_use_instead_equals_dagster(code: str, tmp_path: Path) -> None:
    from asset_lint.catalogue import load_catalogue, write_example_project
    write_example_project(load_catalogue()[code].use_instead, tmp_path)
    assert_same_graph(tmp_path)


@pytest.mark.parametrize("code", _catalogue_codes())
def test_catalogue_example_matches_its_verdict(code: str, tmp_path: Path) -> None:
    """load-error entries fail in Dagster; silent ones load (and their graph is ours)."""
    from asset_lint.catalogue import load_catalogue, write_example_project
    doc = load_catalogue()[code]
    write_example_project(doc.example, tmp_path)
    if doc.dagster == "silent":
        assert_same_graph(tmp_path)
    elif doc.dagster == "load-error":
        modules = sorted({location["module"] for location in ours(tmp_path).values()})
        errors = [theirs["error"] for theirs in oracle(tmp_path, modules).values()]
        assert errors and all(errors), errors


def _silent_outcome_cases() -> list:
    return [pytest.param(case, id=f"{case.parent.name}/{case.name}")
            for case in sorted(p.parent for p in (TESTS / "fixtures").glob("DG*/*/pyproject.toml"))
            if set(SILENT_OUTCOMES) & set(_fixture_setting(case))]


# What a fixture's [tool.fixture] may state about the graph Dagster silently builds.
SILENT_OUTCOMES = {
    "absent": "keys no code location's graph has (an asset left out of the Definitions, an op that is no asset)",
    "parents": "the parents Dagster links to a key (a re-mapped, dropped or one-letter dependency)",
    "stubs": "keys Dagster invented as external placeholders because something depends on them",
    "kinds": "the kind Dagster gives a key (an asset silently replaced by an external declaration)",
    "in_locations": "how many code locations' graphs hold a key (one key defined in several locations)",
    "checks": "the asset checks (\"key:name\") Dagster keeps, in every location (a check a loader silently drops)",
    "run_fails": "{step: error class} when every asset is materialized once (a mistake that loads and fails at run)",
}

# Materialize every asset of a code location in process; print {step: error class} for the failed steps.
_RUN = """
import importlib, json, sys, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, sys.argv[1])
defs = importlib.import_module(sys.argv[2]).defs
job = defs.resolve_implicit_global_asset_job_def()
result = job.execute_in_process(raise_on_error=False)
failed = {event.step_key: event.event_specific_data.error.cls_name
          for event in result.all_events if event.event_type_value == "STEP_FAILURE"}
print(json.dumps(failed))
"""


def run_failures(project: Path, module: str, workdir: Path) -> dict:
    result = run_python(["-c", _RUN, project, module], cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("project", _silent_outcome_cases())
def test_fixture_silent_outcome_in_dagster(project: Path, tmp_path: Path) -> None:
    """A silent verdict made visible: each SILENT_OUTCOMES statement of the fixture holds in real Dagster."""
    setting = _fixture_setting(project)
    graphs = oracle(project, sorted(declared_modules(project))).values()
    for key in setting.get("absent", []):
        assert all(key not in theirs["assets"] for theirs in graphs), key
    for key, parents in setting.get("parents", {}).items():
        found = [theirs["assets"][key]["deps"] for theirs in graphs if key in theirs["assets"]]
        assert found and all(deps == sorted(parents) for deps in found), (key, found)
    for key in setting.get("stubs", []):
        found = [theirs["assets"][key]["auto_stub"] for theirs in graphs if key in theirs["assets"]]
        assert found and all(found), (key, found)
    for key, kind in setting.get("kinds", {}).items():
        found = [theirs["assets"][key]["kind"] for theirs in graphs if key in theirs["assets"]]
        assert found and all(k == kind for k in found), (key, found)
    if "checks" in setting:
        assert all(theirs["checks"] == sorted(setting["checks"]) for theirs in graphs), setting["checks"]
    if "run_fails" in setting:
        (module,) = sorted(declared_modules(project))
        assert run_failures(project, module, tmp_path) == setting["run_fails"]
    for key, count in setting.get("in_locations", {}).items():
        assert sum(key in theirs["assets"] and not theirs["assets"][key]["auto_stub"]
                   for theirs in graphs) == count, key


def test_every_rule_is_proven_by_real_dagster() -> None:
    """Issue 6.6: a rule whose mistake Dagster rejects has a fixture Dagster fails to load; a rule for a silent
    mistake has a fixture Dagster loads that states the silent outcome (SILENT_OUTCOMES) and carries its marker."""
    from asset_lint.catalogue import load_catalogue
    proofs: dict = {}
    for case in sorted(p.parent for p in (TESTS / "fixtures").glob("DG*/*/pyproject.toml")):
        setting = _fixture_setting(case)
        codes = {code for _, _, code, _ in read_markers(case)}
        kind = "fails" if setting.get("dagster") == "fails" else \
            "silent" if setting.get("dagster") == "loads" and set(SILENT_OUTCOMES) & set(setting) else None
        for code in codes if kind else ():
            proofs.setdefault(code, set()).add(kind)
    for doc in load_catalogue().values():
        needed = {"load-error": {"fails"}, "silent": {"silent"}, "mixed": {"fails", "silent"}}[doc.dagster]
        assert needed <= proofs.get(doc.code, set()), (doc.code, doc.dagster, proofs.get(doc.code))
