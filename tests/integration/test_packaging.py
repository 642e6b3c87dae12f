"""The wheel ships the catalogue: `asset-lint rule DG002` works from an installed wheel, without Dagster."""
from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode,
                    reason="pip is not available")
def test_wheel_carries_the_catalogue(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("asset_lint-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # install the wheel's files only: the runtime dependencies are not needed to print a rule
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run([str(python), "-c", "import sys; sys.path.insert(0, sys.argv[1]); from asset_lint.cli import main; "
                             "sys.exit(main(['rule', 'DG002']))", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "missing-upstream-asset" in result.stdout
    assert not (tmp_path / "site" / "dagster").exists()
