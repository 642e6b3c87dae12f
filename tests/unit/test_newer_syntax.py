"""Python 3.12+ type parameters (PEP 695) are valid code: a project that uses them is read, not DG000."""
from __future__ import annotations

import ast

from asset_lint.extract.newer_syntax import without_type_parameters
from projects import codes_of, graph_of, make_project

GENERIC = '''
import asyncio
from collections.abc import Awaitable

from dagster import Definitions, asset

type Rows = list[dict[str, int]]


def run_async[T](coro: Awaitable[T]) -> T:
    return asyncio.run(coro)


class Box[T: (int, str) = int]:
    pass


@asset
def orders() -> Rows: ...


@asset(deps=[orders])
def revenue(): ...


defs = Definitions(assets=[orders, revenue])
'''


def test_rewrite_keeps_lines_and_columns():
    rewritten = without_type_parameters(GENERIC.encode())
    tree = ast.parse(rewritten)
    functions = {node.name: (node.lineno, node.col_offset) for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert functions["run_async"] == (10, 0) and functions["Box"] == (14, 0) and functions["revenue"] == (23, 0)
    assert len(rewritten.splitlines()) == len(GENERIC.splitlines())


def test_plain_code_is_left_alone():
    assert without_type_parameters(b"type = 3\nx = type(int)\nclass A(list[int]):\n    pass\n") is None


def test_project_with_type_parameters_is_analysed(tmp_path):
    root = make_project(tmp_path, {"defs/definitions.py": GENERIC})
    assert codes_of(root) == []
    assert graph_of(root) == {"defs.definitions": {"orders": [], "revenue": ["orders"]}}
