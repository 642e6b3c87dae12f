"""Differential proof of the silent verdicts of DG016 and DG017: real Dagster loads these fixtures,
and what it built (or what a run does) shows the mistake the rule reports.

DG016: a job selecting an unknown group, key prefix or `key:` clause is an empty job; an asset
sensor's key is not an asset. DG017: `context.resources.x` without requiring `x` loads, and every
run fails with DagsterUnknownResourceError (stated as `run_fails` in that fixture's pyproject.toml,
checked by test_differential.test_fixture_silent_outcome_in_dagster).
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dagster")

from test_differential import oracle  # noqa: E402 - after the importorskip

FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def test_groups_are_judged_per_code_location() -> None:
    project = FIXTURES / "DG016" / "locations_are_judged_apart"
    theirs = oracle(project, ["ingest.definitions", "reporting.definitions"])
    assert theirs["ingest.definitions"]["jobs"] == {"ingest_job": ["raw_orders"], "report_job": []}
    assert theirs["reporting.definitions"]["jobs"] == {"report_job": ["revenue_report"]}
