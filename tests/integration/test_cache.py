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
    result = subprocess.run([sys.executable, "-m", "asset_lint", "check", *args, str(root)],
                            capture_output=True, text=True)
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
            assets.write_text("\n" + assets.read_text())  # an edit that moves lines forces the facts to be read
            expected = check(tmp_path, "--no-cache")
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


def test_edits_that_keep_the_facts_reuse_the_run_and_others_recompute(tmp_path):
    make_project(tmp_path, PROJECT)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')
    before = same_as_uncached(tmp_path)
    assert "DG002" in before
    facts_file = next((tmp_path / ".asset_lint_cache").rglob("facts.pickle"))
    written = facts_file.stat().st_mtime_ns
    assets = tmp_path / "defs/assets.py"
    assets.write_text(assets.read_text() + "# a comment at the end\n")
    assert same_as_uncached(tmp_path) == before
    assert facts_file.stat().st_mtime_ns == written  # equal facts: only the index was rewritten
    assets.write_text("\n\n" + assets.read_text())  # every line moves: the findings move with them
    moved = same_as_uncached(tmp_path)
    assert moved != before and "DG002" in moved
    assets.write_text(assets.read_text().replace("@asset(deps=[UPSTREAM])", "@asset(deps=[UPSTREAM])  # noqa: DG002"))
    assert same_as_uncached(tmp_path).startswith("All checks passed")


def test_prefiltered_modules_count_only_when_a_run_read_them(tmp_path):
    make_project(tmp_path, {**PROJECT, "defs/names.py": 'from .base import ROOT\nUPSTREAM = ROOT + "s"\n',
                            "defs/base.py": 'ROOT = "customer"\n',
                            "defs/text.py": "def shout(text):\n    return text.upper()\n"})
    assert same_as_uncached(tmp_path).startswith("All checks passed")
    (tmp_path / "defs/text.py").write_text("def shout(text):\n    return text.upper() + '!'\n")  # read by no one
    assert same_as_uncached(tmp_path).startswith("All checks passed")
    (tmp_path / "defs/base.py").write_text('ROOT = "custome"\n')  # read through names.py: seen
    assert "did you mean 'customers'" in same_as_uncached(tmp_path)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customers"\n')  # base.py is no longer read
    assert same_as_uncached(tmp_path).startswith("All checks passed")
    (tmp_path / "defs/base.py").write_text('ROOT = "customer"\n')
    assert same_as_uncached(tmp_path).startswith("All checks passed")


def test_facts_extracted_by_the_pool_are_digested_like_any_others(tmp_path):
    files = dict(PROJECT)
    for i in range(450):  # above the parallel threshold: the cold run extracts on a process pool
        files[f"defs/m{i:03}.py"] = f"from dagster import asset\n@asset(deps=['m{i - 1:03}_x'])\ndef m{i:03}_x(): ...\n"
    files["defs/definitions.py"] = ("from dagster import Definitions, load_assets_from_package_module\nimport defs\n"
                                    "defs_ = Definitions(assets=load_assets_from_package_module(defs))\n")
    make_project(tmp_path, files)
    before = same_as_uncached(tmp_path)
    facts_file = next((tmp_path / ".asset_lint_cache").rglob("facts.pickle"))
    written = facts_file.stat().st_mtime_ns
    module = tmp_path / "defs/m007.py"
    module.write_text(module.read_text() + "# reviewed\n")
    assert same_as_uncached(tmp_path) == before
    assert facts_file.stat().st_mtime_ns == written  # its digest from the pool matched the re-extracted one
    module.write_text(module.read_text().replace("m006_x", "m06_x"))
    after = same_as_uncached(tmp_path)
    assert "m06_x" in after and after != before


def test_damage_inside_the_cache_files_costs_only_a_recomputation(tmp_path):
    make_project(tmp_path, PROJECT)
    (tmp_path / "defs/names.py").write_text('UPSTREAM = "customer"\n')
    check(tmp_path)
    folder = next((tmp_path / ".asset_lint_cache").glob("v*"))
    assets = tmp_path / "defs/assets.py"
    for name in ("facts.pickle", "index.pickle"):
        whole = (folder / name).read_bytes()
        for offset in range(7, len(whole), max(1, len(whole) // 7)):  # a flipped byte that may still unpickle
            damaged = bytearray(whole)
            damaged[offset] ^= 0x5A
            (folder / name).write_bytes(bytes(damaged))
            assert same_as_uncached(tmp_path) == check(tmp_path, "--no-cache")
            (folder / name).write_bytes(bytes(damaged))
            assets.write_text("\n" + assets.read_text())  # moves every line: the other files' facts are read
            assert same_as_uncached(tmp_path) == check(tmp_path, "--no-cache")


def test_noqa_codes_on_many_files_are_kept_and_applied_by_reused_runs(tmp_path):
    """Sixty files with `# noqa: DG002` (the index once held their codes as frozensets, which the
    pickler's fast mode cannot write past some fifty): cold and reused runs suppress the same."""
    files = dict(PROJECT)
    for i in range(60):
        files[f"defs/m{i:02}.py"] = (f"from dagster import asset\n@asset(deps=['gone_{i}'])  # noqa: DG002\n"
                                     f"def m{i:02}(): ...\n")
    files["defs/loud.py"] = "from dagster import asset\n@asset(deps=['gone_loud'])\ndef loud(): ...\n"
    files["defs/definitions.py"] = ("from dagster import Definitions, load_assets_from_package_module\nimport defs\n"
                                    "defs_ = Definitions(assets=load_assets_from_package_module(defs))\n")
    make_project(tmp_path, files)
    cold = same_as_uncached(tmp_path)
    assert cold.count("DG002") == 1 and "gone_loud" in cold
    assert check(tmp_path) == cold   # reused: the suppressions come from the index
