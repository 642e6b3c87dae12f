"""Python expressions (ast) -> the small tuple IR described in facts.py."""
from __future__ import annotations

import ast
import sys

from asset_lint.extract.facts import Expr, Pos

_SEQUENCES = {ast.List: "list", ast.Tuple: "tuple", ast.Set: "set"}


_POSITIONS: dict = {}  # one tuple per distinct position: most recur across files (a third of the facts' memory)


def pos_of(node: ast.AST) -> Pos:
    """The node's (line, col, end_line, end_col)."""
    line = getattr(node, "lineno", 0)
    col = getattr(node, "col_offset", 0)
    pos = (line, col, getattr(node, "end_lineno", None) or line, getattr(node, "end_col_offset", None) or col)
    return _POSITIONS.setdefault(pos, pos)


def to_ir(node: ast.AST) -> Expr:
    """Convert an expression; anything a linter cannot follow becomes ("unknown", pos, reason)."""
    pos = pos_of(node)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str) and len(value) <= 64:  # keys, groups, prefixes: they repeat across files
            return ("const", pos, sys.intern(value))
        if isinstance(value, (str, int, float, bool)) or value is None:
            return ("const", pos, value)
        return ("unknown", pos, "constant")
    if isinstance(node, ast.Name):
        return ("name", pos, sys.intern(node.id))  # names repeat across files: one string each
    if isinstance(node, ast.Attribute):
        return ("attr", pos, to_ir(node.value), sys.intern(node.attr))
    if isinstance(node, ast.Call):
        args = tuple(to_ir(a) for a in node.args)
        kwargs = tuple((k.arg, to_ir(k.value)) for k in node.keywords)
        return ("call", pos, to_ir(node.func), args, kwargs)
    kind = _SEQUENCES.get(type(node))
    if kind:
        return (kind, pos, tuple(to_ir(e) for e in node.elts))
    if isinstance(node, ast.Starred):
        return ("star", pos, to_ir(node.value))
    if isinstance(node, ast.Dict):
        return ("dict", pos, tuple((None if k is None else to_ir(k), to_ir(v))
                                   for k, v in zip(node.keys, node.values)))
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):
            return ("add", pos, to_ir(node.left), to_ir(node.right))
        if isinstance(node.op, ast.Div):
            return ("div", pos, to_ir(node.left), to_ir(node.right))
        return ("unknown", pos, "operator")
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                if v.conversion not in (-1, None) or v.format_spec is not None:
                    return ("unknown", pos, "formatted f-string")
                parts.append(to_ir(v.value))
            else:
                parts.append(to_ir(v))
        return ("fstr", pos, tuple(parts))
    if isinstance(node, ast.Subscript):
        index = node.slice
        if isinstance(index, ast.Index):  # Python 3.8 wraps subscripts
            index = index.value  # pragma: no cover
        return ("sub", pos, to_ir(node.value), to_ir(index))
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        return ("unknown", pos, "comprehension")
    return ("unknown", pos, type(node).__name__)


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """Absolute module name of `from <level dots><target> import ...` inside `module`."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base
