"""The whole CPython standard library lints without a crash and without a Dagster finding;
DG000 appears exactly on the files Python's own parser rejects."""
from __future__ import annotations

import ast
import sysconfig
import warnings
from pathlib import Path

from asset_lint.engine import analyse


def _python_rejects(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(path.read_bytes())
        return False
    except (SyntaxError, ValueError):
        return True


def test_stdlib_has_no_finding_but_invalid_syntax() -> None:
    root = Path(sysconfig.get_paths()["stdlib"]).resolve()
    analysis = analyse([str(root)], {"select": ("DG",)}, root=root, use_cache=False)
    assert analysis.files > 500
    assert {f.code for f in analysis.findings} <= {"DG000"}
    reported = {f.path for f in analysis.findings}
    rejected = {p.relative_to(root).as_posix() for p in root.rglob("*.py")
                if "site-packages" not in p.parts and "__pycache__" not in p.parts and _python_rejects(p)}
    assert reported == rejected


def test_dagsters_own_source_tree_lints_without_crashing() -> None:
    import importlib.util

    import pytest
    spec = importlib.util.find_spec("dagster")  # finds the folder without importing dagster
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("dagster is not installed")
    root = Path(list(spec.submodule_search_locations)[0]).resolve()
    analysis = analyse([str(root)], {"select": ("DG",)}, root=root, use_cache=False)
    assert analysis.files > 500
    assert not [f for f in analysis.findings if f.code in ("DG000", "DG999")]
