"""Python expressions (ast) -> the small tuple IR described in facts.py."""
from __future__ import annotations

import ast
import sys

from asset_lint.extract.facts import Expr, Pos

_POSITIONS: dict = {}  # one tuple per distinct position: most recur across files (a third of the facts' memory)


def pos_of(node: ast.AST) -> Pos:
    """The node's (line, col, end_line, end_col)."""
    try:
        line, col, end_line, end_col = node.lineno, node.col_offset, node.end_lineno, node.end_col_offset
    except AttributeError:  # a node without a position of its own
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0)
        end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
    pos = (line, col, end_line or line, end_col or col)
    return _POSITIONS.setdefault(pos, pos)


def to_ir(node: ast.AST) -> Expr:
    """Convert an expression; anything a linter cannot follow becomes ("unknown", pos, reason)."""
    convert = _CONVERTERS.get(type(node))
    if convert is not None:
        return convert(node, pos_of(node))
    pos = pos_of(node)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        return ("unknown", pos, "comprehension")
    return ("unknown", pos, type(node).__name__)


def _constant(node: ast.Constant, pos: Pos) -> Expr:
    value = node.value
    if isinstance(value, str) and len(value) <= 64:  # keys, groups, prefixes: they repeat across files
        return ("const", pos, sys.intern(value))
    if isinstance(value, (str, int, float, bool)) or value is None:
        return ("const", pos, value)
    return ("unknown", pos, "constant")


def _name(node: ast.Name, pos: Pos) -> Expr:
    return ("name", pos, sys.intern(node.id))  # names repeat across files: one string each


def _attribute(node: ast.Attribute, pos: Pos) -> Expr:
    return ("attr", pos, to_ir(node.value), sys.intern(node.attr))


def _call(node: ast.Call, pos: Pos) -> Expr:
    args = tuple([to_ir(a) for a in node.args])
    kwargs = tuple([(k.arg, to_ir(k.value)) for k in node.keywords])
    return ("call", pos, to_ir(node.func), args, kwargs)


def _sequence(kind: str):
    def convert(node, pos: Pos) -> Expr:
        return (kind, pos, tuple([to_ir(e) for e in node.elts]))
    return convert


def _starred(node: ast.Starred, pos: Pos) -> Expr:
    return ("star", pos, to_ir(node.value))


def _dict(node: ast.Dict, pos: Pos) -> Expr:
    return ("dict", pos, tuple([(None if k is None else to_ir(k), to_ir(v)) for k, v in zip(node.keys, node.values)]))


def _binary(node: ast.BinOp, pos: Pos) -> Expr:
    if isinstance(node.op, ast.Add):
        return ("add", pos, to_ir(node.left), to_ir(node.right))
    if isinstance(node.op, ast.Div):
        return ("div", pos, to_ir(node.left), to_ir(node.right))
    return ("unknown", pos, "operator")


def _fstring(node: ast.JoinedStr, pos: Pos) -> Expr:
    parts = []
    for v in node.values:
        if isinstance(v, ast.FormattedValue):
            if v.conversion not in (-1, None) or v.format_spec is not None:
                return ("unknown", pos, "formatted f-string")
            parts.append(to_ir(v.value))
        else:
            parts.append(to_ir(v))
    return ("fstr", pos, tuple(parts))


def _subscript(node: ast.Subscript, pos: Pos) -> Expr:
    index = node.slice
    if isinstance(index, ast.Index):  # Python 3.8 wraps subscripts
        index = index.value  # pragma: no cover
    return ("sub", pos, to_ir(node.value), to_ir(index))


# by exact node type: ast.parse makes only these (never the deprecated ast.Num and friends, subclasses of Constant)
_CONVERTERS = {ast.Constant: _constant, ast.Name: _name, ast.Attribute: _attribute, ast.Call: _call,
               ast.List: _sequence("list"), ast.Tuple: _sequence("tuple"), ast.Set: _sequence("set"),
               ast.Starred: _starred, ast.Dict: _dict, ast.BinOp: _binary, ast.JoinedStr: _fstring,
               ast.Subscript: _subscript}


def walk(node: ast.AST) -> list:
    """The nodes ast.walk(node) yields, in its order (breadth first), without its generator per node and
    without expression contexts (Load, Store: never what a walk here looks for)."""
    nodes, index, ast_type = [node], 0, ast.AST
    while index < len(nodes):
        current = nodes[index]
        index += 1
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast_type):
                if name != "ctx":
                    nodes.append(value)
            elif isinstance(value, list):
                nodes.extend([item for item in value if isinstance(item, ast_type)])
    return nodes


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
