"""House style, enforced: the pipeline's import arrows point downstream; rules and catalogue match."""
from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "asset_lint"
# (stage, what it must never import): arrows point downstream only.
FORBIDDEN = [
    ("extract", ("asset_lint.graph", "asset_lint.rules", "asset_lint.cache", "asset_lint.resolve",
                 "networkx", "astroid")),
    ("resolve", ("asset_lint.rules", "asset_lint.graph", "asset_lint.cli", "asset_lint.report")),
    ("rules", ("asset_lint.cli", "asset_lint.report")),
    ("graph.py", ("asset_lint.cli", "asset_lint.report", "asset_lint.rules")),
]


def _imports(path: Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("stage,banned", FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_import_arrows_point_downstream(stage: str, banned: tuple) -> None:
    target = PACKAGE / stage
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    for path in files:
        for name in _imports(path):
            assert not any(name == b or name.startswith(b + ".") for b in banned), f"{path.name} imports {name}"


def test_asset_lint_never_imports_dagster() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert not any(n == "dagster" or n.startswith("dagster.") for n in _imports(path)), path


def test_every_rule_module_is_listed_once_and_named_after_its_code() -> None:
    from asset_lint.rules import ALL
    modules = sorted(p.stem for p in (PACKAGE / "rules").glob("dg[0-9][0-9][0-9]_*.py"))
    assert sorted(m.__name__.rsplit(".", 1)[1] for m in ALL) == modules
    for rule in ALL:
        assert rule.__name__.rsplit(".", 1)[1].startswith(rule.CODE.lower() + "_")


def test_every_rule_has_exactly_one_catalogue_entry_and_back() -> None:
    from asset_lint.catalogue import load_catalogue
    from asset_lint.rules import ALL
    docs = load_catalogue()
    assert sorted(docs) == sorted(rule.CODE for rule in ALL)
    for rule in ALL:
        snake = rule.__name__.rsplit(".", 1)[1][len(rule.CODE) + 1:]
        assert docs[rule.CODE].name == snake.replace("_", "-")


def test_rules_read_a_finished_model() -> None:
    """A rule takes one RuleContext and evaluates nothing: no evaluator, no extractor tuples read by
    position (decorator IR), no resolve machinery imported (issue 12.2)."""
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "evaluator" not in text and ".decorators" not in text, path.name
        machinery = ("asset_lint.resolve.evaluate", "asset_lint.resolve.dagster_api", "asset_lint.resolve.snapshot")
        assert not _imports(path) & set(machinery), path.name
    for rule in __import__("asset_lint.rules", fromlist=["ALL"]).ALL:
        assert list(inspect.signature(rule.check).parameters) == ["context"], rule.__name__


def test_no_helpers_or_utils_modules() -> None:
    assert not [p for p in PACKAGE.rglob("*.py") if p.stem in ("utils", "helpers", "misc")]


def test_codes_module_lists_the_rules_in_order() -> None:
    from asset_lint.codes import RULE_CODES
    from asset_lint.rules import ALL
    assert RULE_CODES == tuple(rule.CODE for rule in ALL)


def test_own_source_is_flake8_clean() -> None:
    # run from the repository root so .flake8 (line length, excluded fixtures, DG off) applies
    result = subprocess.run([sys.executable, "-m", "flake8"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
