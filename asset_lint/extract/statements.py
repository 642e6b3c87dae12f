"""Statements (ast) -> the statement IR, and the FunctionFacts and ClassFacts of the defs among them.

A body is a tuple of statements; expressions and TARGETs are the IR of facts.py:

    ("assign", pos, targets, value)        targets: a tuple of TARGETs (a = b = v); an AnnAssign with a value too
    ("augassign", pos, target, op, value)  op: "add", "div" or a binop's operator
    ("expr", pos, value)                   ("return", pos, value or None)
    ("if", pos, test, body, orelse)        `if TYPE_CHECKING:` has the test ("const", pos, True), as the
                                           module walker reads it
    ("for", pos, target, iter, body, orelse)
    ("def", pos, FunctionFacts)            a nested def, with its own body (kept by the same rule)
    ("class", pos, ClassFacts)
    ("import", pos, bindings)              bindings: ((name, Binding), ...), import / from as at module level
    ("with", pos, as_targets, body)        the `as` targets are bound to what the context manager gives
    ("pass", pos)  ("break", pos)  ("continue", pos)  ("raise", pos)
    ("opaque", pos, reason, bound_names)   while, try, match, global, del, async for, a star import, ...:
                                           every name it could bind or change becomes unknown for `reason`

An annotation without a value (`x: int`) and an assert are ("pass", pos): neither binds a name.
"""
from __future__ import annotations

import ast
from typing import Optional

from asset_lint.dagster_api_table import (
    ASSET_DECORATORS, FACTORY_CALLS, NOT_COMPOSITIONS, OP_DECORATORS, OTHER_DECORATORS, TRIGGER_DECORATORS,
)
from asset_lint.extract.bodies import scan_composition, scan_storage_and_resources
from asset_lint.extract.creations import summarise_creations
from asset_lint.extract.expressions import binary_op, params_of, pos_of, resolve_relative, to_ir, to_target, walk
from asset_lint.extract.facts import Binding, ClassFacts, FunctionFacts

# Methods that change a list, dict or set in place: a call to one changes what its name holds.
MUTATING_METHODS = frozenset({"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove",
                              "clear", "add", "discard", "sort", "reverse", "__setitem__"})

# Decorators whose function body is never an op composition; anything else (@job, @graph,
# @graph_asset, an alias or a wrapper) gets its body read as one.
_NOT_COMPOSITIONS = NOT_COMPOSITIONS | {"contextmanager", "property", "staticmethod", "classmethod", "cache",
                                        "lru_cache", "wraps"}
# A function Dagster decorates into a definition is never run by asset-lint: its body is not kept.
# (A @definitions function's is: its body builds the code location's definitions.)
_BODY_NOT_KEPT = ASSET_DECORATORS | OP_DECORATORS | TRIGGER_DECORATORS | OTHER_DECORATORS
_UNCONDITIONAL_IFS = ("TYPE_CHECKING",)
_OPAQUE = {ast.While: "a while loop", ast.Try: "a try block", ast.Delete: "a del statement",
           ast.Global: "a global statement", ast.Nonlocal: "a nonlocal statement", ast.AsyncFor: "an async for loop"}
_JUMPS = {ast.Pass: "pass", ast.Break: "break", ast.Continue: "continue", ast.Raise: "raise", ast.Assert: "pass"}


def is_type_checking(test: ast.AST) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): read as if it ran, for the names it imports."""
    return (isinstance(test, ast.Name) and test.id in _UNCONDITIONAL_IFS) or \
        (isinstance(test, ast.Attribute) and test.attr in _UNCONDITIONAL_IFS)


def is_main_guard(test: ast.AST) -> bool:
    """`if __name__ == "__main__":`: never runs when Dagster imports the module."""
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"


def import_bindings(stmt, module: str, is_package: bool, pos) -> tuple[list, list]:
    """The (name, Binding) pairs an import statement makes, and the modules it star-imports."""
    pairs, stars = [], []
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                pairs.append((alias.asname, Binding("import", alias.name, pos)))
            else:
                top = alias.name.split(".")[0]
                pairs.append((top, Binding("import", top, pos)))
        return pairs, stars
    source = resolve_relative(module, is_package, stmt.level or 0, stmt.module)
    for alias in stmt.names:
        if alias.name == "*":
            stars.append(source)
        else:
            pairs.append((alias.asname or alias.name, Binding("from", (source, alias.name), pos)))
    return pairs, stars


def decorator_name(node: ast.AST) -> str:
    """The last name of a decorator (`dg.asset(...)` -> `asset`)."""
    if isinstance(node, ast.Call):
        node = node.func
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def base_name(target: ast.AST) -> Optional[str]:
    """The name at the root of `a.b[c].d`, or None."""
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def _body_without_docstring(body: list) -> list:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _builds_definitions(body: list) -> bool:
    for stmt in body:
        for node in walk(stmt):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
                return True
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if name in FACTORY_CALLS:
                    return True
    return False


def _bound_names(stmt: ast.stmt) -> tuple:
    """Every name a statement could bind or change in place (over-approximated: nested defs included)."""
    names = []
    for node in walk(stmt):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                names.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.alias):
            if node.name != "*":
                names.append(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.extend(node.names)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            names.append(base_name(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in MUTATING_METHODS:
            names.append(base_name(node.func))
        elif isinstance(node, ast.ExceptHandler):
            names.append(node.name)
        elif type(node).__name__ in ("MatchAs", "MatchStar", "MatchMapping"):   # match captures (Python 3.10+)
            names.append(getattr(node, "rest", None) or getattr(node, "name", None))
    return tuple(sorted({name for name in names if name}))


class BodyConverter:
    """Converts the statements of one module, and builds the facts of its defs and classes (each once)."""

    def __init__(self, module: str, is_package: bool, light: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.light = light    # a module that cannot mention Dagster: bodies are not kept
        self._made: dict = {}   # id(ast node) -> its FunctionFacts / ClassFacts: a script reuses the walker's

    def body(self, statements: list) -> tuple:
        """The statement IR of a list of statements."""
        return tuple([self.statement(stmt) for stmt in statements])

    def statement(self, stmt: ast.stmt) -> tuple:
        """The statement IR of one statement."""
        pos = pos_of(stmt)
        kind = type(stmt)
        if kind is ast.Assign:
            return ("assign", pos, tuple([to_target(t) for t in stmt.targets]), to_ir(stmt.value))
        if kind is ast.Expr:
            return ("expr", pos, to_ir(stmt.value))
        if kind is ast.Return:
            return ("return", pos, None if stmt.value is None else to_ir(stmt.value))
        if kind is ast.If:
            test = ("const", pos_of(stmt.test), True) if is_type_checking(stmt.test) else to_ir(stmt.test)
            return ("if", pos, test, self.body(stmt.body), self.body(stmt.orelse))
        if kind is ast.For:
            return ("for", pos, to_target(stmt.target), to_ir(stmt.iter), self.body(stmt.body), self.body(stmt.orelse))
        if kind is ast.AugAssign:
            return ("augassign", pos, to_target(stmt.target), binary_op(stmt.op), to_ir(stmt.value))
        if kind is ast.AnnAssign:
            if stmt.value is None:
                return ("pass", pos)
            return ("assign", pos, (to_target(stmt.target),), to_ir(stmt.value))
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            return ("def", pos, self.function(stmt))
        if kind is ast.ClassDef:
            return ("class", pos, self.class_facts(stmt))
        if kind is ast.Import or kind is ast.ImportFrom:
            pairs, stars = import_bindings(stmt, self.module, self.is_package, pos)
            if stars:
                return ("opaque", pos, "a star import", ())
            return ("import", pos, tuple(pairs))
        if kind is ast.With or kind is ast.AsyncWith:
            targets = tuple([to_target(item.optional_vars) for item in stmt.items if item.optional_vars is not None])
            return ("with", pos, targets, self.body(stmt.body))
        if kind in _JUMPS:
            return (_JUMPS[kind], pos)
        reason = _OPAQUE.get(kind) or ("a try block" if kind.__name__ == "TryStar" else
                                       f"a {kind.__name__.lower()} statement")
        return ("opaque", pos, reason, _bound_names(stmt))

    def function(self, node, method: bool = False) -> FunctionFacts:
        """The facts of a def: decorators, parameters, what its body does and (where kept) the body itself.

        A method is never a Dagster definition: its body is not scanned for storage, resources or ops.
        """
        made = self._made.get(id(node))
        if made is not None:
            return made
        light = self.light
        unscanned = light or method
        statements = _body_without_docstring(node.body)
        keep = not light and not any(decorator_name(d) in _BODY_NOT_KEPT for d in node.decorator_list)
        body = self.body(statements) if keep else None
        returns = None
        if len(statements) == 1 and isinstance(statements[0], ast.Return) and statements[0].value is not None:
            returns = body[0][2] if body is not None else to_ir(statements[0].value)   # converted once
        elif not unscanned and _builds_definitions(node.body):
            returns = ("unknown", pos_of(node), "factory")
        # a module that cannot mention Dagster has no op or asset bodies worth scanning
        storage, resources = scan_storage_and_resources(node.body) if not unscanned else ((), ())
        composes = not unscanned and any(decorator_name(d) not in _NOT_COMPOSITIONS for d in node.decorator_list)
        invocations, dynamic = scan_composition(node.body) if composes else ((), False)
        keyword = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
        # the `def name` head, not the whole body: that is where editors and code scanning point
        head = (node.lineno, node.col_offset, node.lineno, node.col_offset + len(keyword) + len(node.name))
        # what calling it could create, for typed unknowns: asked only of functions that may be called
        creates, calls = summarise_creations(node) if keep else (frozenset(), ())
        made = self._made[id(node)] = FunctionFacts(
            name=node.name, pos=head, decorators=tuple(to_ir(d) for d in node.decorator_list),
            params=params_of(node.args), returns=returns, storage=storage, invocations=invocations,
            dynamic_body=dynamic, resource_attrs=resources,
            first_line=min([node.lineno, *(d.lineno for d in node.decorator_list)]), body=body,
            creates=creates, calls=calls,
        )
        return made

    def class_facts(self, node: ast.ClassDef) -> ClassFacts:
        """The facts of a class: bases, decorators, fields (annotated names), attributes and methods."""
        made = self._made.get(id(node))
        if made is not None:
            return made
        fields, attributes, methods = [], [], []
        for stmt in _body_without_docstring(node.body):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                fields.append((stmt.target.id, to_ir(stmt.annotation),
                               None if stmt.value is None else to_ir(stmt.value)))
            elif isinstance(stmt, ast.Assign):
                names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                if names:
                    value = to_ir(stmt.value)
                    attributes.extend((name, None, value) for name in names)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(self.function(stmt, method=True))
        made = self._made[id(node)] = ClassFacts(
            node.name, pos_of(node), tuple(to_ir(b) for b in node.bases), tuple(m.name for m in methods),
            decorators=tuple(to_ir(d) for d in node.decorator_list), fields=tuple(fields),
            attributes=tuple(attributes), method_facts=tuple(methods))
        return made
