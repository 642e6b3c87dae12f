"""The catalogue's examples run: each Example yields exactly its markers, each Use instead nothing.

Each example is linted with its own rule selected only (as ruff does), so an example may show
code that other rules would also flag.

`asset-lint rule CODE` prints the same entry, also from an installed wheel (test_packaging.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from asset_lint.catalogue import load_catalogue, write_example_project
from asset_lint.engine import analyse
from markers import markers_in_text, render, side_by_side

DOCS = load_catalogue()


def _lint(files, root: Path, code: str) -> list:
    write_example_project(files, root)
    return [(f.path, f.line, f.code, f.message)
            for f in analyse([str(root)], {"select": (code, "DG000")}, use_cache=False).findings]


def _markers(files) -> list:
    return [m for f in files if f.path.endswith(".py") for m in markers_in_text(f.path, f.text)]


@pytest.mark.parametrize("code", sorted(DOCS))
def test_example_yields_exactly_its_markers(code: str, tmp_path: Path) -> None:
    doc = DOCS[code]
    expected = _markers(doc.example)
    assert expected and {c for *_, c, _ in expected} == {code}
    actual = _lint(doc.example, tmp_path, code)
    assert render(actual) == render(expected), side_by_side(expected, actual)
    for path, line, c, substring in expected:
        if substring:
            assert any(substring in m for p, l, cc, m in actual if (p, l, cc) == (path, line, c)), substring


@pytest.mark.parametrize("code", sorted(DOCS))
def test_use_instead_yields_nothing(code: str, tmp_path: Path) -> None:
    doc = DOCS[code]
    assert not _markers(doc.use_instead)
    assert _lint(doc.use_instead, tmp_path, code) == []


@pytest.mark.parametrize("code", sorted(DOCS))
def test_rule_command_prints_the_entry(code: str, capsys) -> None:
    from asset_lint.cli import main
    assert main(["rule", code]) == 0
    out = capsys.readouterr().out
    assert DOCS[code].name in out and "## What it does" in out


def test_the_defaults_every_run_reads_agree_with_the_full_entries():
    from asset_lint.catalogue import defaults, load_catalogue
    assert defaults() == {code: doc.default for code, doc in load_catalogue().items()}
