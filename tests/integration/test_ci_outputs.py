"""CI gate outputs: SARIF valid against the 2.1.0 schema, GitHub annotations, baselines."""
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
    "defs/a.py": "from dagster import asset\n@asset\ndef orders(): ...\n@asset\ndef loop_a(loop_b): ...\n",
    "defs/b.py": "from dagster import asset\n@asset\ndef orders(): ...\n@asset\ndef loop_b(loop_a): ...\n",
    "defs/definitions.py": "from dagster import Definitions, load_assets_from_modules\nfrom . import a, b\n"
                           "defs = Definitions(assets=load_assets_from_modules([a, b]))\n",
}


def run(*args: str) -> subprocess.CompletedProcess:
    """From inside the project, as CI runs it (annotation paths are relative to the working directory)."""
    return subprocess.run([sys.executable, "-m", "asset_lint", *args], capture_output=True, text=True,
                          cwd=args[-1] if Path(args[-1]).is_dir() else None,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_sarif_is_valid_and_carries_related_locations(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    make_project(tmp_path, PROJECT)
    result = run("check", "--output-format", "sarif", str(tmp_path))
    assert result.returncode == 1
    log = json.loads(result.stdout)
    if SCHEMA.exists():
        jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    run_ = log["runs"][0]
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} >= {"DG001", "DG002", "DG003"}
    results = run_["results"]
    duplicates = [r for r in results if r["ruleId"] == "DG003"]
    assert len(duplicates) == 2 and all(r["relatedLocations"] for r in duplicates)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"defs/a.py", "defs/b.py"}
    cycle = next(r for r in results if r["ruleId"] == "DG001")
    assert ("loop_a -> loop_b -> loop_a" in cycle["message"]["text"]
            or "loop_b -> loop_a -> loop_b" in cycle["message"]["text"])


def test_github_annotations(tmp_path):
    make_project(tmp_path, PROJECT)
    lines = run("check", "--output-format", "github", str(tmp_path)).stdout.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("::error file=defs/") and ",title=DG00" in line for line in lines)


def test_baseline_survives_moved_code_and_reports_new_and_stale(tmp_path):
    make_project(tmp_path, PROJECT)
    baseline = tmp_path / "baseline.json"
    assert run("check", "--write-baseline", str(baseline), str(tmp_path)).returncode == 0
    assert run("check", "--baseline", str(baseline), str(tmp_path)).returncode == 0
    # moving code down does not break the baseline
    a = tmp_path / "defs/a.py"
    a.write_text("\n\n\n" + a.read_text())
    assert run("check", "--baseline", str(baseline), str(tmp_path)).returncode == 0
    # a new finding is reported; a fixed one is stale
    (tmp_path / "defs/b.py").write_text("from dagster import asset\n@asset\ndef orders_b(): ...\n"
                                        "@asset\ndef loop_b(loop_a): ...\n@asset(deps=['nowhere'])\ndef c(): ...\n")
    result = run("check", "--baseline", str(baseline), str(tmp_path))
    assert result.returncode == 1 and "nowhere" in result.stdout and "DG003" not in result.stdout
    assert "stale baseline entry: DG003" in result.stderr
    run("check", "--write-baseline", str(baseline), str(tmp_path))
    assert "DG003" not in baseline.read_text()
