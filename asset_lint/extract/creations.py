"""What a function could create, summarised at extract time for typed unknowns (resolve/gaps.py).

A factory the evaluator cannot evaluate is still known by its body: the kinds of the Dagster
decorators of its nested defs and of the Dagster calls in it, plus what the functions whose results
it returns create (resolved later, transitively). Whatever else flows into a return (a parameter, a
global, a call of something unnamed) could be anything.
"""
from __future__ import annotations

import ast

from asset_lint.dagster_api_table import BY_NAME, CHECK, Role

ANYTHING = "*"   # the function may return something of any type (resolve/gaps.CREATES_ANYTHING)
_ASSETS, _CHECKS, _OTHER = ("assets", "checks"), ("checks",), ("other",)
# builtins whose result is made of their arguments
_CONTAINERS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "dict", "chain", "from_iterable",
                         "filter"})
# methods whose result is their object, with what they change kept (keys, hooks, attributes)
_SAME_OBJECT = frozenset({"with_resources", "with_hooks", "with_attributes", "with_io_manager_key", "merge_attributes",
                          "replace_attributes", "with_attributes_for_all", "to_source_asset", "copy"})
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})


def _kinds_of(name: str) -> tuple:
    """What a Dagster name of the API table makes, as `creates` records it; () when it makes nothing."""
    entry = BY_NAME.get(name)
    if entry is None:
        return ()
    role = entry.role
    if role is Role.ASSET_DECORATOR:
        return _CHECKS if entry.kind == CHECK else _ASSETS
    if role is Role.OP_DECORATOR:
        return ("ops", "jobs")
    if role in (Role.TRIGGER_DECORATOR, Role.TRIGGER_CONSTRUCTOR):
        return _OTHER
    if role is Role.SPEC_CONSTRUCTOR:
        return ("assets",)
    if role is Role.RESOURCE_BASE or name in ("resource", "io_manager", "input_manager"):
        return ("resources",)
    if name == "multi_asset_check" or role is Role.LOADER and "checks" in name:
        return _CHECKS
    if role is Role.LOADER:
        return ("assets",) if name.startswith("load_assets") else (ANYTHING,)
    if role is Role.DEFINITIONS_DECORATOR or name == "Definitions":
        return (ANYTHING,)
    if role is Role.UNFOLLOWED or name == "AssetsDefinition":
        return _CHECKS if "checks" in name else _ASSETS
    if name == "define_asset_job":
        return ("jobs",)
    return ()


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


class _Summary:
    def __init__(self, node) -> None:
        args = node.args
        self.params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
        self.creates: set = set()
        self.calls: dict = {}
        self.assigned: dict = {}      # local name -> the expressions bound to it
        self.local_defs: dict = {}    # nested def name -> its decorators

    def flows(self, expr, seen: set) -> None:
        """Record what an expression that reaches a return could be."""
        if expr is None or isinstance(expr, (ast.Constant, ast.JoinedStr, ast.Lambda, ast.Compare)):
            return
        if isinstance(expr, ast.Name):
            self.name_flows(expr.id, seen)
        elif isinstance(expr, ast.Call):
            self.call_flows(expr, seen)
        elif isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            for element in expr.elts:
                self.flows(element, seen)
        elif isinstance(expr, ast.Dict):
            for value in expr.values:
                self.flows(value, seen)
        elif isinstance(expr, (ast.Starred, ast.Await, ast.Attribute, ast.Subscript, ast.NamedExpr)):
            self.flows(expr.value, seen)
        elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            self.flows(expr.elt, seen)
        elif isinstance(expr, ast.DictComp):
            self.flows(expr.value, seen)
        elif isinstance(expr, ast.BinOp):
            self.flows(expr.left, seen)
            self.flows(expr.right, seen)
        elif isinstance(expr, ast.BoolOp):
            for value in expr.values:
                self.flows(value, seen)
        elif isinstance(expr, ast.IfExp):
            self.flows(expr.body, seen)
            self.flows(expr.orelse, seen)
        else:
            self.creates.add(ANYTHING)

    def name_flows(self, name: str, seen: set) -> None:
        if name in seen:
            return
        seen.add(name)
        if name in self.local_defs:
            for decorator in self.local_defs[name]:
                self.decorator_flows(decorator, seen)
        elif name in self.assigned:
            for value in self.assigned[name]:
                self.flows(value, seen)
        elif name not in ("None", "True", "False"):
            self.creates.add(ANYTHING)   # a parameter or a global: asset-lint knows nothing of its type here

    def decorator_flows(self, decorator, seen: set) -> None:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        dotted = _dotted(target)
        kinds = _kinds_of(dotted.rsplit(".", 1)[-1]) if dotted else (ANYTHING,)
        if kinds:
            self.creates.update(kinds)
        elif dotted:
            self.calls[dotted] = None   # a project decorator: what it makes is resolved later

    def call_flows(self, call: ast.Call, seen: set) -> None:
        func = call.func
        dotted = _dotted(func)
        last = dotted.rsplit(".", 1)[-1] if dotted else ""
        kinds = _kinds_of(last)
        entry = BY_NAME.get(last)
        if kinds:
            self.creates.update(kinds)
        elif entry is not None and entry.role is Role.PASS_THROUGH:
            for arg in call.args:   # with_resources([...]): what it is given, with resources bound
                self.flows(arg, seen)
        elif last in _CONTAINERS or last in _SAME_OBJECT and isinstance(func, ast.Attribute):
            for arg in call.args if last in _CONTAINERS else ():
                self.flows(arg, seen)
            if last in _SAME_OBJECT:
                self.flows(func.value, seen)
        elif last == "configured" and isinstance(func, ast.Attribute):
            self.creates.update(("ops", "jobs", "resources"))   # an op, a graph or a resource, configured
        elif isinstance(func, ast.Attribute) and _root(func) in self.assigned:
            self.flows(func.value, seen)   # a method of a local value: made from it
        elif dotted and dotted.split(".")[0] not in self.params:
            self.calls[dotted] = None
        else:
            self.creates.add(ANYTHING)

    def scan(self, body: list) -> None:
        returned = []
        pending = list(body)
        while pending:   # the body's own statements and expressions: a nested def's body is its own
            node = pending.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.local_defs[node.name] = node.decorator_list
                for decorator in node.decorator_list:
                    self.decorator_flows(decorator, set())   # Dagster decorators anywhere: what it may make
                continue
            if isinstance(node, ast.Lambda):
                continue
            if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)):
                returned.append(node.value)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self.bind(target, node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                self.bind(node.target, node.value)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self.bind(node.target, node.iter)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self.bind(node.optional_vars, node.context_expr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in _MUTATORS and isinstance(node.func.value, ast.Name):
                for arg in (*node.args, *(k.value for k in node.keywords)):
                    self.assigned.setdefault(node.func.value.id, []).append(arg)
            pending.extend(ast.iter_child_nodes(node))
        for value in returned:
            self.flows(value, set())

    def bind(self, target, value) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                self.assigned.setdefault(node.id, []).append(value)


def _root(node) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def summarise_creations(node) -> tuple:
    """(creates, calls) of a function: the kinds of definition it may return (ANYTHING among them when it may
    return anything) and the dotted names of the functions whose results it returns."""
    summary = _Summary(node)
    summary.scan(node.body)
    return frozenset(summary.creates), tuple(summary.calls)


__all__ = ["ANYTHING", "summarise_creations"]
