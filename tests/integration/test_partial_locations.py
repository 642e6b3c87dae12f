"""A code location analysed only partly is told to the user: the text note (and --verbose), SARIF's
toolExecutionNotifications, the graph JSON's unknowns; a run reused from the cache tells it too."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from projects import make_project

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
PROJECT = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
    "defs/raw.py": """
        import os
        from dagster import asset

        TABLE = os.environ.get("RAW_TABLE", "orders")


        @asset(key_prefix=["raw"], name=TABLE)
        def raw_table(): ...
        """,
    "defs/checks.py": """
        import os
        from dagster import build_column_schema_change_checks


        def schema_checks(assets):
            severity = os.environ.get("SEVERITY", "WARN")
            return build_column_schema_change_checks(assets=assets, severity=severity)
        """,
    "defs/marts.py": """
        from dagster import asset


        @asset(deps=[["marts", "orders"]])
        def revenue(): ...
        """,
    "defs/jobs.py": """
        import os
        from dagster import job, op


        def make_job(table):
            @op(name=f"copy_{table}")
            def copy(): ...

            @job(name=f"copy_{table}_job")
            def the_job():
                copy()

            return the_job


        JOBS = [make_job(t) for t in os.environ.get("TABLES", "a,b").split(",")]
        """,
    "defs/definitions.py": """
        from dagster import Definitions

        from .checks import schema_checks
        from .jobs import JOBS
        from .marts import revenue
        from .raw import raw_table

        defs = Definitions(assets=[raw_table, revenue, *schema_checks([raw_table])], jobs=JOBS,
                           resources=RESOURCES_FROM_ELSEWHERE)
        """,
}


def run(*args: str) -> subprocess.CompletedProcess:
    """The console script in a subprocess, from inside the project."""
    return subprocess.run([sys.executable, "-m", "asset_lint", *args], capture_output=True, text=True,
                          cwd=args[-1], env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


@pytest.fixture
def project(tmp_path) -> Path:
    make_project(tmp_path, PROJECT)
    return tmp_path


def test_text_ends_with_a_note_per_partial_location(project):
    result = run("check", "--no-cache", str(project))
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert "DG002" in lines[0] and "'marts/orders'" in lines[0]   # the prefixed unknown does not hide it
    assert lines[-2] == "Found 1 error."
    note = lines[-1]
    assert note.startswith("note: code location 'defs.definitions' was analysed only partly, 4 unknowns: ")
    assert "defs/raw.py:8: asset raw_table: keys asset-lint cannot resolve (could be assets under raw/)" in note
    assert "defs/checks.py:7: factory schema_checks at defs/checks.py:5: " in note and "(could be checks)" in note
    assert "and 1 more (--verbose lists them)" in note
    assert note.endswith("limited there: DG002 (keys under raw/), DG013, DG016 (keys under raw/), DG017, DG018, DG021")


def test_verbose_lists_every_unknown_and_a_reused_run_tells_the_same(project):
    verbose = run("check", "--verbose", str(project)).stdout.splitlines()
    listed = [line for line in verbose if line.startswith("  ")]
    assert len(listed) == 4
    assert any("(could be jobs)" in line for line in listed)
    assert any("(could be resources)" in line and "RESOURCES_FROM_ELSEWHERE" not in line for line in listed)
    assert "--verbose" not in verbose[-len(listed) - 1]
    again = run("check", "--verbose", str(project)).stdout.splitlines()   # findings reused from the cache
    assert again == verbose


def test_sarif_notifications(project):
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(run("check", "--no-cache", "--output-format", "sarif", str(project)).stdout)
    if SCHEMA.exists():
        jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == 4 and {n["level"] for n in notes} == {"note"}
    raw = next(n for n in notes if "raw_table" in n["message"]["text"])
    region = raw["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "defs/raw.py" and region["region"]["startLine"] == 8
    assert "code location 'defs.definitions' was analysed only partly" in raw["message"]["text"]


def test_json_findings_stay_a_list(project):
    findings = json.loads(run("check", "--no-cache", "--output-format", "json", str(project)).stdout)
    assert isinstance(findings, list) and [f["code"] for f in findings] == ["DG002"]


def test_graph_json_lists_the_unknowns(project):
    payload = json.loads(run("graph", str(project)).stdout)
    location = payload["locations"][0]
    assert location["complete"] is False
    unknowns = location["unknowns"]
    assert {"file": "defs/raw.py", "line": 8, "reason": "asset raw_table: keys asset-lint cannot resolve",
            "could_be": ["assets"], "prefix": ["raw"]} in unknowns
    assert sorted(u["could_be"][0] for u in unknowns if len(u["could_be"]) == 1) == \
        ["assets", "checks", "jobs", "resources"]
    assert all(set(u) == {"file", "line", "reason", "could_be", "prefix"} for u in unknowns)


def test_a_dependency_that_cannot_be_evaluated_is_told_not_dropped(tmp_path):
    """deps=[<unknown>]: the graph lacks an edge, so the location is told as partial (edges only: DG001),
    while its keys stay complete and every key rule still judges them."""
    make_project(tmp_path, {
        "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
        "defs/definitions.py": """
            import os
            from dagster import Definitions, asset


            @asset
            def raw_orders(): ...


            @asset(deps=[os.environ.get("UPSTREAM", "raw_orders"), "raw_customer"])
            def orders(): ...


            defs = Definitions(assets=[raw_orders, orders])
            """,
    })
    lines = run("check", "--no-cache", str(tmp_path)).stdout.splitlines()
    assert "DG002" in lines[0] and "'raw_customer'" in lines[0]
    assert lines[-1] == ("note: code location 'defs.definitions' was analysed only partly, 1 unknown: "
                         "defs/definitions.py:9: a dependency asset-lint cannot resolve (could be any upstream key); "
                         "limited there: DG001")
