"""The flake8 plugin, through real flake8 in a subprocess: cross-file findings, -j 2, stdin, noqa, select."""
from __future__ import annotations

import subprocess
import sys

import pytest

from projects import make_project

pytest.importorskip("flake8")

PROJECT = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
    "defs/raw.py": '''
        from dagster import asset
        @asset
        def customers(): ...
    ''',
    "defs/marts.py": '''
        from dagster import asset
        @asset(deps=["customers"])
        def orders(): ...
        @asset
        def report(orders): ...
    ''',
    "defs/definitions.py": '''
        from dagster import Definitions, load_assets_from_modules
        from . import marts, raw
        defs = Definitions(assets=load_assets_from_modules([raw, marts]))
    ''',
}


def flake8(*args: str, cwd, stdin: str = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8", "--select", "DG", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True)


def test_clean_project_and_cross_file_finding_after_a_rename(tmp_path):
    make_project(tmp_path, PROJECT)
    assert flake8("defs", cwd=tmp_path).stdout == ""
    (tmp_path / "defs/raw.py").write_text("from dagster import asset\n@asset\ndef clients(): ...\n")
    out = flake8("defs", cwd=tmp_path).stdout
    assert "defs/marts.py:2:14: DG002" in out and "'customers'" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_workers_report_the_same(tmp_path, jobs):
    make_project(tmp_path, {**PROJECT, "defs/raw.py": "from dagster import asset\n@asset\ndef clients(): ...\n"})
    out = flake8("-j", jobs, "defs", cwd=tmp_path).stdout
    assert out.count("DG002") == 1


def test_stdin_buffer_replaces_the_file_on_disk(tmp_path):
    make_project(tmp_path, PROJECT)
    unsaved = ("from dagster import asset\n@asset(deps=['custmers'])\ndef orders(): ...\n"
               "@asset\ndef report(orders): ...\n")
    out = flake8("--stdin-display-name", "defs/marts.py", "-", cwd=tmp_path, stdin=unsaved).stdout
    assert "defs/marts.py:2:14: DG002" in out and "did you mean 'customers'" in out


def test_flake8_selection_and_noqa(tmp_path):
    files = dict(PROJECT)
    files["defs/raw.py"] = "from dagster import asset\n@asset\ndef clients(): ...\n"
    make_project(tmp_path, files)
    assert flake8("--extend-ignore", "DG002", "defs", cwd=tmp_path).stdout == ""
    plain = subprocess.run([sys.executable, "-m", "flake8", "--select", "E9", "--extend-select", "DG002", "defs"],
                           cwd=tmp_path, capture_output=True, text=True).stdout
    assert plain.count("DG002") == 1
    assert flake8("--per-file-ignores", "defs/marts.py:DG002", "defs", cwd=tmp_path).stdout == ""
    marts = (tmp_path / "defs/marts.py").read_text().replace('deps=["customers"])',
                                                             'deps=["customers"])  # noqa: DG002')
    (tmp_path / "defs/marts.py").write_text(marts)
    assert flake8("defs", cwd=tmp_path).stdout == ""


def test_flake8_selection_decides_between_overlapping_findings(tmp_path):
    """flake8 selects after the plugin: both views of a misnamed context reach it, its --extend-ignore picks."""
    make_project(tmp_path, {**PROJECT, "defs/marts.py": '''
        from dagster import AssetExecutionContext, asset
        @asset(deps=["customers"])
        def orders(ctx: AssetExecutionContext): ...
        @asset
        def report(orders): ...
    '''})
    both = flake8("defs/marts.py", cwd=tmp_path).stdout
    assert "DG010" in both and "DG002" in both, both
    only = flake8("--extend-ignore", "DG010", "defs/marts.py", cwd=tmp_path).stdout
    assert "DG010" not in only and "DG002" in only, only
