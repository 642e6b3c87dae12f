"""Each fixture project's findings equal its inline `# expect:` markers, no more and no fewer."""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from asset_lint.engine import analyse
from markers import read_markers, render, side_by_side

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases() -> list:
    return sorted(p.parent for p in FIXTURES.glob("DG*/*/pyproject.toml"))


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def lint_project(case: Path) -> list:
    analysis = analyse([str(case)], {"select": ("DG",)}, use_cache=False)
    return [(f.path, f.line, f.code, f.message) for f in analysis.findings]


@pytest.mark.parametrize("case", fixture_cases(), ids=case_id)
def test_fixture(case: Path) -> None:
    """Findings equal the inline markers; a message substring in the marker must appear too."""
    expected = read_markers(case)
    actual = lint_project(case)
    assert render(actual) == render(expected), side_by_side(expected, actual)
    for path, line, code, substring in expected:
        if substring:
            messages = [m for p, l, c, m in actual if (p, l, c) == (path, line, code)]
            assert any(substring in m for m in messages), (path, line, code, substring, messages)


def fixture_setting(case: Path) -> dict:
    return tomllib.loads((case / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("fixture", {})


@pytest.mark.parametrize("case", [c for c in fixture_cases() if "complete" in fixture_setting(c)], ids=case_id)
def test_fixture_completeness(case: Path) -> None:
    """`complete = true | false` in [tool.fixture]: whether `asset-lint graph` may claim to know every asset key
    of each code location (false: some unknown could be assets, and the location is reported as partial)."""
    from asset_lint.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["graph", str(case), "--format", "json"])
    locations = json.loads(out.getvalue())["locations"]
    assert locations and all(loc["complete"] is fixture_setting(case)["complete"] for loc in locations), locations


def test_every_rule_has_a_fixture() -> None:
    from asset_lint.rules import ALL
    codes = {case.parent.name for case in fixture_cases()}
    assert {rule.CODE for rule in ALL} <= codes


def test_examples_yield_their_markers() -> None:
    """The bundled example project: the seed guide's op jobs are flagged, their rewrites are clean."""
    examples = Path(__file__).parent.parent / "examples"
    assert render(lint_project(examples)) == render(read_markers(examples))
