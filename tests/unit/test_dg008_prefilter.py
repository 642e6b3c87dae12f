"""DG008 tests every name at once before it checks them one by one: the batch test must never pass a
project in which the exact checks find a name Dagster rejects (it may fail ones where they find none)."""
from __future__ import annotations

from pathlib import Path

import pytest

from asset_lint.engine import analyse
from asset_lint.rules import dg008_invalid_asset_name as dg008
from projects import make_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECTS = sorted(p.parent for p in FIXTURES.glob("DG*/*/pyproject.toml"))
RESERVED = {  # a one-part key that is a reserved word; two parts joined by "_" into one
    "op_name": "@asset\ndef dict(): ...\n",
    "input_name": "@asset\ndef upstream(): ...\n@asset(deps=[['arg', 'dict']])\ndef plain(): ...\n",
}


def _exact_findings(project) -> list:
    return [f for d in project.definitions if d.func is not None and d.kind in dg008.NAMED_FUNCTION_KINDS
            for f in (*dg008._op_findings(d), *dg008._dep_findings(d))]


def _named(project) -> list:
    return [d for d in project.definitions if d.func is not None and d.kind in dg008.NAMED_FUNCTION_KINDS]


@pytest.mark.parametrize("case", PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_batch_test_passes_only_projects_the_exact_checks_pass(case):
    project = analyse([str(case)], use_cache=False).project
    if _exact_findings(project):
        assert not dg008._all_names_plain(_named(project))


@pytest.mark.parametrize("source", RESERVED.values(), ids=list(RESERVED))
def test_a_joined_input_name_and_a_one_part_key_can_be_reserved(source, tmp_path):
    files = {"pyproject.toml": '[tool.dagster]\nmodule_name = "defs"\n',
             "defs/__init__.py": f"from dagster import Definitions, asset\n{source}defs = Definitions(assets=[])\n"}
    project = analyse([str(make_project(tmp_path, files))], use_cache=False).project
    assert _exact_findings(project) and not dg008._all_names_plain(_named(project))
