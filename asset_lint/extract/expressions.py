"""Python expressions (ast) -> the small tuple IR described in facts.py."""
from __future__ import annotations

import ast
import sys

from asset_lint.extract.facts import Expr, Param, Pos

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
    return ("unknown", pos_of(node), type(node).__name__)


def to_target(node: ast.AST) -> Expr:
    """Convert an assignment (or for, or comprehension) target: name, tuple, list, star, sub or attr."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return ("tuple" if isinstance(node, ast.Tuple) else "list", pos_of(node),
                tuple([to_target(e) for e in node.elts]))
    if isinstance(node, ast.Starred):
        return ("star", pos_of(node), to_target(node.value))
    return to_ir(node)


def params_of(args: ast.arguments) -> tuple:
    """A def's or a lambda's parameters, in order, with their annotations and defaults as IR."""
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = []
    for i, a in enumerate(positional):
        kind = "posonly" if i < len(args.posonlyargs) else "normal"
        default = to_ir(args.defaults[i - first_default]) if i >= first_default else None
        params.append(Param(a.arg, kind, to_ir(a.annotation) if a.annotation else None, i >= first_default,
                            pos_of(a), default))
    if args.vararg:
        params.append(Param(args.vararg.arg, "vararg", None, False, pos_of(args.vararg)))
    for a, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append(Param(a.arg, "kwonly", to_ir(a.annotation) if a.annotation else None, default is not None,
                            pos_of(a), to_ir(default) if default is not None else None))
    if args.kwarg:
        params.append(Param(args.kwarg.arg, "varkw", None, False, pos_of(args.kwarg)))
    return tuple(params)


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


# Operators by node type: "add" and "div" are kinds of their own (strings, paths), the rest are binops.
_BINARY_OPS = {ast.Add: "add", ast.Div: "div", ast.Sub: "-", ast.Mult: "*", ast.Mod: "%", ast.FloorDiv: "//",
               ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<",
               ast.RShift: ">>", ast.MatMult: "@"}
_COMPARE_OPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
                ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
_UNARY_OPS = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
_CONVERSIONS = {ord("r"): "r", ord("s"): "s", ord("a"): "a"}


def binary_op(op: ast.operator) -> str:
    """The IR name of a binary (or augmented assignment) operator."""
    return _BINARY_OPS[type(op)]


def _binary(node: ast.BinOp, pos: Pos) -> Expr:
    op = _BINARY_OPS[type(node.op)]
    if op == "add" or op == "div":
        return (op, pos, to_ir(node.left), to_ir(node.right))
    return ("binop", pos, op, to_ir(node.left), to_ir(node.right))


def _fstring(node: ast.JoinedStr, pos: Pos) -> Expr:
    parts = []
    for v in node.values:
        if isinstance(v, ast.FormattedValue):
            if v.conversion not in (-1, None) or v.format_spec is not None:
                spec = to_ir(v.format_spec) if v.format_spec is not None else None
                parts.append(("fmt", pos_of(v), to_ir(v.value), _CONVERSIONS.get(v.conversion), spec))
            else:
                parts.append(to_ir(v.value))
        else:
            parts.append(to_ir(v))
    return ("fstr", pos, tuple(parts))


def _subscript(node: ast.Subscript, pos: Pos) -> Expr:
    index = node.slice
    if isinstance(index, ast.Index):  # Python 3.8 wraps subscripts
        index = index.value  # pragma: no cover
    return ("sub", pos, to_ir(node.value), to_ir(index))


def _slice(node: ast.Slice, pos: Pos) -> Expr:
    return ("slice", pos, *[None if part is None else to_ir(part) for part in (node.lower, node.upper, node.step)])


def _generators(generators: list) -> tuple:
    return tuple([(to_target(g.target), to_ir(g.iter), tuple([to_ir(i) for i in g.ifs])) for g in generators])


def _comprehension(kind: str):
    def convert(node, pos: Pos) -> Expr:
        return ("comp", pos, kind, to_ir(node.elt), _generators(node.generators))
    return convert


def _dict_comprehension(node: ast.DictComp, pos: Pos) -> Expr:
    return ("dictcomp", pos, to_ir(node.key), to_ir(node.value), _generators(node.generators))


def _if_expression(node: ast.IfExp, pos: Pos) -> Expr:
    return ("ifexp", pos, to_ir(node.test), to_ir(node.body), to_ir(node.orelse))


def _compare(node: ast.Compare, pos: Pos) -> Expr:
    return ("compare", pos, to_ir(node.left), tuple([_COMPARE_OPS[type(op)] for op in node.ops]),
            tuple([to_ir(c) for c in node.comparators]))


def _bool_operation(node: ast.BoolOp, pos: Pos) -> Expr:
    return ("boolop", pos, "and" if isinstance(node.op, ast.And) else "or", tuple([to_ir(v) for v in node.values]))


def _unary(node: ast.UnaryOp, pos: Pos) -> Expr:
    return ("unary", pos, _UNARY_OPS[type(node.op)], to_ir(node.operand))


def _lambda(node: ast.Lambda, pos: Pos) -> Expr:
    return ("lambda", pos, params_of(node.args), to_ir(node.body))


def _named(node: ast.NamedExpr, pos: Pos) -> Expr:
    return ("named", pos, sys.intern(node.target.id), to_ir(node.value))


# by exact node type: ast.parse makes only these (never the deprecated ast.Num and friends, subclasses of Constant)
_CONVERTERS = {ast.Constant: _constant, ast.Name: _name, ast.Attribute: _attribute, ast.Call: _call,
               ast.List: _sequence("list"), ast.Tuple: _sequence("tuple"), ast.Set: _sequence("set"),
               ast.Starred: _starred, ast.Dict: _dict, ast.BinOp: _binary, ast.JoinedStr: _fstring,
               ast.Subscript: _subscript, ast.Slice: _slice, ast.ListComp: _comprehension("list"),
               ast.SetComp: _comprehension("set"), ast.GeneratorExp: _comprehension("gen"),
               ast.DictComp: _dict_comprehension, ast.IfExp: _if_expression, ast.Compare: _compare,
               ast.BoolOp: _bool_operation, ast.UnaryOp: _unary, ast.Lambda: _lambda, ast.NamedExpr: _named}


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
