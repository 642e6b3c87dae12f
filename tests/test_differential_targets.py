"""Differential proof of the silent verdicts of DG016 and DG017: real Dagster loads these fixtures,
and what it built (or what a run does) shows the mistake the rule reports.

DG016: a job selecting an unknown group, key prefix or `key:` clause is an empty job; an asset
sensor's key is not an asset. DG017: `context.resources.x` without requiring `x` loads, and every
run fails with DagsterUnknownResourceError.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dagster")

from test_differential import ENV, oracle  # noqa: E402 - after the importorskip

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Materialize every asset of a fixture in process and print {step: error class} for failed steps.
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


def test_unknown_group_prefix_and_key_clause_make_empty_jobs() -> None:
    theirs = oracle(FIXTURES / "DG016" / "empty_group_prefix_and_sensor_key", ["defs.definitions"])["defs.definitions"]
    assert theirs["error"] is None, theirs["error"]
    assert theirs["jobs"] == {"finance_job": [], "finance_str_job": [], "key_job": [], "raw_job": []}
    assert theirs["asset_sensors"] == {"on_invoices": "invoice"}
    assert "invoice" not in theirs["assets"]


def test_known_targets_select_assets() -> None:
    theirs = oracle(FIXTURES / "DG016" / "known_targets_are_fine", ["defs.definitions"])["defs.definitions"]
    assert theirs["error"] is None, theirs["error"]
    assert theirs["jobs"] and all(theirs["jobs"][name] for name in theirs["jobs"] if name != "ping_job")
    assert theirs["asset_sensors"]["on_payments"] in theirs["assets"]


def test_undeclared_context_resources_fail_every_run(tmp_path: Path) -> None:
    project = FIXTURES / "DG017" / "context_resources_used_without_requiring"
    result = subprocess.run([sys.executable, "-c", _RUN, str(project), "defs.definitions"], capture_output=True,
                            text=True, cwd=tmp_path, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    failed = json.loads(result.stdout.strip().splitlines()[-1])
    assert failed == {"orders": "DagsterUnknownResourceError", "customers": "DagsterUnknownResourceError"}


def test_groups_are_judged_per_code_location() -> None:
    project = FIXTURES / "DG016" / "locations_are_judged_apart"
    theirs = oracle(project, ["ingest.definitions", "reporting.definitions"])
    assert theirs["ingest.definitions"]["jobs"] == {"ingest_job": ["raw_orders"], "report_job": []}
    assert theirs["reporting.definitions"]["jobs"] == {"report_job": ["revenue_report"]}
