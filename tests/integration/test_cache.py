"""The per-file cache gives the same findings as --no-cache: after an edit, a config change, a
corrupt entry, and with two runs at once; a read-only project runs without one."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from projects import make_project

PROJECT = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n',
    "defs/names.py": 'UPSTREAM = "customers"\n',
    "defs/assets.py": '''
        from dagster import asset
        from .names import UPSTREAM
        @asset
        def customers(): ...
        @asset(deps=[UPSTREAM])
        def orders(): ...
    ''',
    "defs/definitions.py": "from dagster import Definitions, load_assets_from_modules\nfrom . import assets\n"
                           "defs = Definitions(assets=load_assets_from_modules([assets]))\n",
}


def check(root, *args) -> str:
    result = subprocess.run([sys.executable, "-m", "asset_lint", "check", *args, str(root)], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def same_as_uncached(root) -> str:
    cached = check(root)
    assert cached == check(root, "--no-cache")
    return cached


def test_cache_is_created_with_its_own_gitignore(tmp_path):
    make_project(tmp_path, PROJECT)
    assert same_as_uncached(tmp_path).startswith("All checks passed")
    assert (tmp_path / ".asset_lint_cache" / ".gitignore").read_text() == "*\n"
    assert list((tmp_path / ".asset_lint_cache").rglob("facts.pickle"))


def test_edit_in_a_constants_module_is_seen(tmp_path):
    make_project(tmp_path, PROJECT)
    same_as_uncached(tmp_path)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')  # same size class, new bytes
    assert "did you mean 'customers'" in same_as_uncached(tmp_path)


def test_same_size_same_mtime_edit_is_caught_by_the_hash(tmp_path):
    make_project(tmp_path, PROJECT)
    same_as_uncached(tmp_path)
    path = tmp_path / "defs/names.py"
    before = path.stat()
    path.write_text('UPSTREAM = "customerz"\n'[:len(path.read_text())])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    out = same_as_uncached(tmp_path)
    assert "DG002" in out


def test_config_change_is_seen(tmp_path):
    make_project(tmp_path, PROJECT)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')
    assert "DG002" in same_as_uncached(tmp_path)
    with open(tmp_path / "pyproject.toml", "a") as handle:
        handle.write('\n[tool.asset-lint]\nexternal-assets = ["customer"]\n')
    assert same_as_uncached(tmp_path).startswith("All checks passed")


def test_corrupt_truncated_and_foreign_caches_are_rebuilt(tmp_path):
    make_project(tmp_path, PROJECT)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')
    expected = check(tmp_path, "--no-cache")
    check(tmp_path)
    folder = next((tmp_path / ".asset_lint_cache").glob("v*"))
    for name in ("index.pickle", "facts.pickle"):
        whole = (folder / name).read_bytes()
        for damaged in (b"", whole[: len(whole) // 2], b"not a pickle at all",
                        b"\x80\x04cos\nsystem\n(S'touch pwned'\ntR."):  # a pickle that would run code
            (folder / name).write_bytes(damaged)
            assert check(tmp_path) == expected
            assets = tmp_path / "defs/assets.py"
            assets.write_text(assets.read_text() + "\n")  # an edit forces the facts to be read
            assert check(tmp_path) == expected
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")


def test_two_concurrent_runs_agree(tmp_path):
    make_project(tmp_path, PROJECT)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')
    expected = check(tmp_path, "--no-cache")
    with ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(lambda _: check(tmp_path), range(4)))
    assert outputs == [expected] * 4
    assert check(tmp_path) == expected


def test_read_only_project_runs_without_cache(tmp_path):
    make_project(tmp_path, PROJECT)
    mode = tmp_path.stat().st_mode
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(tmp_path, os.W_OK):  # root ignores permissions: nothing to test
            return
        assert check(tmp_path).startswith("All checks passed")
        assert not (tmp_path / ".asset_lint_cache").exists()
    finally:
        os.chmod(tmp_path, mode)


def test_clean_removes_the_cache(tmp_path):
    make_project(tmp_path, PROJECT)
    check(tmp_path)
    subprocess.run([sys.executable, "-m", "asset_lint", "clean", str(tmp_path)], check=True, capture_output=True)
    assert not (tmp_path / ".asset_lint_cache").exists()
