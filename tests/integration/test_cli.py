"""The command line: output formats, exit statuses, configuration errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from projects import make_project

BROKEN = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
    "defs/assets.py": '''
        from dagster import asset
        @asset
        def customers(): ...
        @asset(deps=["customer"])
        def orders(): ...
    ''',
    "defs/definitions.py": ("from dagster import Definitions\nfrom .assets import customers, orders\n"
                            "defs = Definitions(assets=[customers, orders])\n"),
}


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    repo = str(Path(__file__).resolve().parents[2])
    return subprocess.run([sys.executable, "-m", "asset_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": repo})


def test_text_output_and_exit_status(tmp_path):
    make_project(tmp_path, BROKEN)
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    assert ("defs/assets.py:4:14: DG002 nothing in code location 'defs.definitions' produces asset 'customer'"
            in result.stdout)
    assert "did you mean 'customers'?" in result.stdout
    assert result.stdout.rstrip().endswith("Found 1 error.")


def test_json_output_has_ruff_fields(tmp_path):
    make_project(tmp_path, BROKEN)
    rows = json.loads(run("check", "--output-format", "json", str(tmp_path)).stdout)
    assert [r["code"] for r in rows] == ["DG002"]
    assert set(rows[0]) >= {"code", "message", "filename", "location", "end_location", "url"}
    assert rows[0]["location"] == {"row": 4, "column": 14}


def test_clean_project_exits_zero_and_ignore_works(tmp_path):
    make_project(tmp_path, BROKEN)
    assert run("check", "--ignore", "DG002", str(tmp_path)).returncode == 0
    assert run("check", "--exit-zero", str(tmp_path)).returncode == 0


def test_noqa_suppresses(tmp_path):
    files = dict(BROKEN)
    files["defs/assets.py"] = files["defs/assets.py"].replace('deps=["customer"])', 'deps=["customer"])  # noqa: DG002')
    make_project(tmp_path, files)
    assert run("check", str(tmp_path)).returncode == 0


def test_bad_configuration_exits_2_naming_the_setting(tmp_path):
    make_project(tmp_path, {**BROKEN, "pyproject.toml": '[tool.asset-lint]\nselct = ["DG002"]\n'})
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert "selct" in result.stderr and "pyproject.toml" in result.stderr and "Traceback" not in result.stderr
    make_project(tmp_path, {**BROKEN, "pyproject.toml": '[tool.asset-lint]\nignore = ["DG999x"]\n'})
    assert run("check", str(tmp_path)).returncode == 2
    assert run("check", "--select", "XYZ1", str(tmp_path)).returncode == 2
    assert run("check", str(tmp_path / "nope")).returncode == 2


def test_syntax_error_is_a_finding_not_a_crash(tmp_path):
    make_project(tmp_path, {**BROKEN, "defs/broken.py": "def f(:\n"})
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    assert "defs/broken.py:1:7: DG000" in result.stdout


def test_graph_json_lists_declared_assets_with_sites(tmp_path):
    make_project(tmp_path, BROKEN)
    payload = json.loads(run("graph", str(tmp_path), "--format", "json").stdout)
    assets = {a["key"]: a for a in payload["assets"]}
    assert set(assets) == {"customers", "orders"}
    assert assets["orders"]["deps"] == ["customer"]
    # the decorator, as Dagster says
    assert (assets["orders"]["filename"], assets["orders"]["line"]) == ("defs/assets.py", 4)
    assert assets["orders"]["kind"] == "materializable" and assets["orders"]["location"] == "defs.definitions"


def test_user_files_are_never_written(tmp_path):
    make_project(tmp_path, BROKEN)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    run("check", "--no-cache", str(tmp_path))
    run("graph", str(tmp_path))
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert before == after


def test_paths_are_relative_to_the_working_directory_and_several_projects_work(tmp_path):
    make_project(tmp_path / "one", BROKEN)
    make_project(tmp_path / "two", BROKEN)
    result = run("check", "one", "two/defs", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert (lines[0].startswith("one/defs/assets.py:4:14: DG002")
            and lines[1].startswith("two/defs/assets.py:4:14: DG002"))
    assert lines[-1] == "Found 2 errors."


def test_autoload_defs_module_loads_a_defs_package_like_load_from_defs_folder(tmp_path):
    """-m on a defs package reads only its __init__; --autoload-defs-module walks the folder, as Dagster's flag."""
    make_project(tmp_path, {
        "proj/__init__.py": "",
        "proj/defs/__init__.py": "",
        "proj/defs/assets.py": "from dagster import asset\n@asset\ndef orders(): ...\n",
        "proj/defs/marts.py": "from dagster import asset\n@asset(deps=['order'])\ndef revenue(): ...\n",
    })
    as_module = json.loads(run("graph", str(tmp_path), "-m", "lesson=proj.defs").stdout)
    autoloaded = json.loads(run("graph", str(tmp_path), "--autoload-defs-module", "lesson=proj.defs").stdout)
    assert as_module["assets"] == []
    assert sorted(a["key"] for a in autoloaded["assets"]) == ["orders", "revenue"]
    assert [loc["name"] for loc in autoloaded["locations"]] == ["lesson"]
    result = run("check", "--no-cache", str(tmp_path), "--autoload-defs-module", "lesson=proj.defs")
    assert "DG002" in result.stdout and "'order'" in result.stdout
