"""The pre-commit hook, through the real pre-commit framework (`pre-commit try-repo` on this repo)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from projects import make_project

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required by pre-commit")
pre_commit = pytest.importorskip("pre_commit")

PROJECT = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
    "defs/raw.py": "from dagster import asset\n@asset\ndef customers(): ...\n",
    "defs/marts.py": "from dagster import asset\n@asset(deps=['customer'])\ndef orders(): ...\n",
    "defs/definitions.py": "from dagster import Definitions, load_assets_from_modules\nfrom . import marts, raw\n"
                           "defs = Definitions(assets=load_assets_from_modules([raw, marts]))\n",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def _try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    args = ["--files", *files] if files else ["--all-files"]
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "asset-lint", *args],
                          cwd=repo, capture_output=True, text=True, env={**os.environ, "PRE_COMMIT_HOME": str(home)})


def test_hook_fails_on_defects_and_passes_once_fixed(tmp_path):
    repo = make_project(tmp_path / "repo", PROJECT)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    home = tmp_path / "pre-commit-home"
    failing = _try_repo(repo, home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "DG002" in failing.stdout and "did you mean 'customers'" in failing.stdout
    # only the changed files are passed: the whole project is read, findings in other files are not shown
    only_raw = _try_repo(repo, home, "defs/raw.py")
    assert only_raw.returncode == 0, only_raw.stdout
    (repo / "defs/marts.py").write_text("from dagster import asset\n@asset(deps=['customers'])\ndef orders(): ...\n")
    _git(repo, "add", "-A")
    passing = _try_repo(repo, home)
    assert passing.returncode == 0, passing.stdout + passing.stderr
