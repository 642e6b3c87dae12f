"""The wheel: it ships the catalogue (`asset-lint rule DG002` without Dagster) and runs on the oldest supported Python."""  # noqa: E501
from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode,
                    reason="pip is not available")
def test_wheel_carries_the_catalogue(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("asset_lint-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # install the wheel's files only: the runtime dependencies are not needed to print a rule
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "site"),
                    str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run([str(python), "-c",
                             "import sys; sys.path.insert(0, sys.argv[1]); from asset_lint.cli import main; "
                             "sys.exit(main(['rule', 'DG002']))", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "missing-upstream-asset" in result.stdout
    assert not (tmp_path / "site" / "dagster").exists()


def _oldest_supported_python() -> Optional[str]:
    """A Python 3.9 interpreter (the floor pyproject.toml declares), if this machine has one."""
    candidates = [shutil.which("python3.9"), *sorted(glob.glob("/root/.pyenv/versions/3.9*/bin/python3.9")),
                  *sorted(glob.glob("/usr/bin/python3.9"))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import venv"], capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.mark.skipif(_oldest_supported_python() is None, reason="no Python 3.9 on this machine")
def test_installed_wheel_lints_the_examples_on_python_3_9(tmp_path: Path) -> None:
    """requires-python = ">=3.9": the wheel, with its real dependencies from the registry, runs there."""
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist),
                            str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("asset_lint-*.whl"))
    env_dir = tmp_path / "py39"
    subprocess.run([_oldest_supported_python(), "-m", "venv", str(env_dir)], check=True)
    install = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    result = subprocess.run([str(env_dir / "bin" / "asset-lint"), "check", "--no-cache", "--statistics", "examples"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "2  DG003" in result.stdout and "6  DG004" in result.stdout and "Found 8 errors." in result.stdout
