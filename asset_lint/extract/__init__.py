"""Extract: one file's source -> FileFacts (plain data). Uses the stdlib `ast` only."""
from __future__ import annotations

import ast
import re
import sys
import warnings

from asset_lint.dagster_api_table import FACTORY_CALLS, NOT_COMPOSITIONS
from asset_lint.extract.bodies import scan_composition, scan_storage_and_resources
from asset_lint.extract.creations import summarise_creations
from asset_lint.extract.expressions import pos_of, resolve_relative, to_ir, walk
from asset_lint.extract.facts import Binding, ClassFacts, FileFacts, FunctionFacts, Param, SyntaxProblem
from asset_lint.extract.newer_syntax import without_type_parameters

__all__ = ["extract_source"]

_NOQA = re.compile(rb"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_UNCONDITIONAL_IFS = ("TYPE_CHECKING",)


# The prefilter: bytes that could declare or reference Dagster objects (directly, or through a
# wrapper or re-export that still names the decorator). Other modules only supply constants.
_DAGSTER_HINT = re.compile(rb"dagster|asset|Definitions|@[\w.]*(?:op|job|graph)\b|AssetKey|AssetSpec")


# Methods that change a list, dict or set in place: a module-level call to one changes what its name holds.
_MUTATING_METHODS = frozenset({"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove",
                               "clear", "add", "discard", "sort", "reverse", "__setitem__"})


def might_use_dagster(source: bytes) -> bool:
    """Prefilter: False when the bytes cannot declare or reference a Dagster object."""
    return _DAGSTER_HINT.search(source) is not None


def _noqa_lines(source: bytes) -> dict:
    result = {}
    if b"noqa" not in source and b"NOQA" not in source:
        return result
    for number, line in enumerate(source.splitlines(), start=1):
        match = _NOQA.search(line)
        if match:
            codes = match.group("codes")
            result[number] = None if codes is None else frozenset(
                c.decode().upper() for c in re.split(rb"[,\s]+", codes.strip()) if c)
    return result


def _params(args: ast.arguments) -> tuple:
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = []
    for i, a in enumerate(positional):
        kind = "posonly" if i < len(args.posonlyargs) else "normal"
        params.append(Param(a.arg, kind, to_ir(a.annotation) if a.annotation else None, i >= first_default, pos_of(a)))
    if args.vararg:
        params.append(Param(args.vararg.arg, "vararg", None, False, pos_of(args.vararg)))
    for a, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append(Param(a.arg, "kwonly", to_ir(a.annotation) if a.annotation else None, default is not None,
                            pos_of(a)))
    if args.kwarg:
        params.append(Param(args.kwarg.arg, "varkw", None, False, pos_of(args.kwarg)))
    return tuple(params)


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


# Decorators whose function body is never an op composition; anything else (@job, @graph,
# @graph_asset, an alias or a wrapper) gets its body read as one.
_NOT_COMPOSITIONS = NOT_COMPOSITIONS | {"contextmanager", "property", "staticmethod", "classmethod", "cache",
                                        "lru_cache", "wraps"}


def _decorator_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _may_compose(node) -> bool:
    return any(_decorator_name(d) not in _NOT_COMPOSITIONS for d in node.decorator_list)


def _function(node, light: bool) -> FunctionFacts:
    body = _body_without_docstring(node.body)
    returns = None
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
        returns = to_ir(body[0].value)
    elif not light and _builds_definitions(node.body):
        returns = ("unknown", pos_of(node), "factory")
    # a module that cannot mention Dagster has no op or asset bodies worth scanning
    storage, resources = scan_storage_and_resources(node.body) if not light else ((), ())
    invocations, dynamic = scan_composition(node.body) if _may_compose(node) and not light else ((), False)
    keyword = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
    # the `def name` head, not the whole body: that is where editors and code scanning point
    head = (node.lineno, node.col_offset, node.lineno, node.col_offset + len(keyword) + len(node.name))
    creates, calls = summarise_creations(node) if not light and not _is_dagster_decorated(node) else (frozenset(), ())
    return FunctionFacts(
        name=node.name, pos=head, decorators=tuple(to_ir(d) for d in node.decorator_list),
        params=_params(node.args), returns=returns, storage=storage, invocations=invocations,
        dynamic_body=dynamic, resource_attrs=resources,
        first_line=min([node.lineno, *(d.lineno for d in node.decorator_list)]), creates=creates, calls=calls,
    )


def _is_dagster_decorated(node) -> bool:
    """An @asset / @op / ... function: Dagster runs its body, asset-lint never calls it as a factory."""
    return any(_decorator_name(d) in NOT_COMPOSITIONS for d in node.decorator_list)


class _ModuleWalker:
    def __init__(self, module: str, is_package: bool, light: bool = False) -> None:
        self.light = light
        self.module = module
        self.is_package = is_package
        self.bindings: dict = {}
        self.counts: dict = {}
        self.stars: list = []
        self.functions: list = []

    def bind(self, name: str, binding: Binding, conditional: bool) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        if conditional and self.counts[name] > 1:
            binding = Binding("unknown", "bound in several branches", binding.pos)
        elif name in self.bindings and binding.kind == "expr":
            binding = Binding(binding.kind, binding.value, binding.pos, previous=self.bindings[name])
        self.bindings[name] = binding

    def statements(self, body: list, conditional: bool = False, in_loop: bool = False) -> None:
        for stmt in body:
            self.statement(stmt, conditional, in_loop)

    def statement(self, stmt: ast.stmt, conditional: bool, in_loop: bool) -> None:
        pos = pos_of(stmt)

        def bind(name: str, binding: Binding) -> None:
            self.bind(name, Binding("unknown", "bound in a loop", pos) if in_loop else binding, conditional)

        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    bind(alias.asname, Binding("import", alias.name, pos))
                else:
                    top = alias.name.split(".")[0]
                    bind(top, Binding("import", top, pos))
        elif isinstance(stmt, ast.ImportFrom):
            source = resolve_relative(self.module, self.is_package, stmt.level or 0, stmt.module)
            for alias in stmt.names:
                if alias.name == "*":
                    self.stars.append(source)
                else:
                    bind(alias.asname or alias.name, Binding("from", (source, alias.name), pos))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts = _function(stmt, self.light)
            if not in_loop:
                self.functions.append(facts)
            bind(stmt.name, Binding("func", facts, pos))
        elif isinstance(stmt, ast.ClassDef):
            methods = tuple(n.name for n in stmt.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
            bind(stmt.name,
                 Binding("class", ClassFacts(stmt.name, pos, tuple(to_ir(b) for b in stmt.bases), methods), pos))
        elif isinstance(stmt, ast.Assign):
            value = to_ir(stmt.value)
            for target in stmt.targets:
                self.assign(target, stmt.value, value, bind, pos)
                self.mutated(target, pos)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value, to_ir(stmt.value), bind, pos)
        elif isinstance(stmt, ast.AugAssign) and not isinstance(stmt.target, ast.Name):
            self.mutated(stmt.target, pos)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                self.mutated(target, pos)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr in _MUTATING_METHODS:
            self.mutated(stmt.value.func, pos)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            previous = self.bindings.get(stmt.target.id)
            if isinstance(stmt.op, ast.Add) and previous is not None and previous.kind == "expr":
                bind(stmt.target.id, Binding("expr", ("add", pos, previous.value, to_ir(stmt.value)), pos))
            else:
                bind(stmt.target.id, Binding("unknown", "augmented assignment", pos))
        elif isinstance(stmt, ast.If):
            test = stmt.test
            if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__":
                return  # the `__main__` block never runs when Dagster imports the module
            guard = (isinstance(test, ast.Name) and test.id in _UNCONDITIONAL_IFS) or \
                    (isinstance(test, ast.Attribute) and test.attr in _UNCONDITIONAL_IFS)
            self.statements(stmt.body, conditional or not guard, in_loop)
            self.statements(stmt.orelse, True, in_loop)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.statements(stmt.body, conditional, in_loop)
            for handler in stmt.handlers:
                self.statements(handler.body, True, in_loop)
            self.statements(stmt.orelse, True, in_loop)
            self.statements(stmt.finalbody, conditional, in_loop)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.statements(stmt.body, conditional, in_loop)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            for target in ast.walk(stmt.target) if not isinstance(stmt, ast.While) else ():
                if isinstance(target, ast.Name):
                    self.bind(target.id, Binding("unknown", "loop variable", pos), conditional)
            self.statements(stmt.body, conditional, True)
            self.statements(stmt.orelse, conditional, True)

    def mutated(self, target: ast.AST, pos) -> None:
        """`resources["x"] = ...`, `assets.append(a)`: the value built at the name's binding is no longer all."""
        if not isinstance(target, (ast.Subscript, ast.Attribute)):
            return
        base = target.value
        while isinstance(base, (ast.Subscript, ast.Attribute)):
            base = base.value
        binding = self.bindings.get(base.id) if isinstance(base, ast.Name) else None
        if binding is not None and binding.kind in ("expr", "unpack"):  # a module or function is not a container
            self.bindings[base.id] = Binding("unknown", "changed after assignment", pos)

    def assign(self, target: ast.AST, value_node: ast.AST, value: tuple, bind, pos) -> None:
        if isinstance(target, ast.Name):
            bind(target.id, Binding("expr", value, pos))
        elif isinstance(target, (ast.Tuple, ast.List)):
            same_shape = isinstance(value_node, (ast.Tuple, ast.List)) and len(value_node.elts) == len(target.elts) \
                and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value_node.elts))
            for i, element in enumerate(target.elts):
                if same_shape:
                    self.assign(element, value_node.elts[i], to_ir(value_node.elts[i]), bind, pos)
                elif isinstance(element, ast.Name):
                    bind(element.id, Binding("unpack", (value, i), pos))


def _parse(source: bytes, rel: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings are the user's business, not ours
        try:
            return ast.parse(source, filename=rel)
        except SyntaxError as error:
            # PEP 695 type parameters: valid Python this interpreter predates
            rewritten = without_type_parameters(source) if sys.version_info < (3, 12) else None
            if rewritten is None:
                raise
            try:
                return ast.parse(rewritten, filename=rel)
            except SyntaxError:
                raise error from None   # report the file as written


def extract_source(source: bytes, rel: str, module: str, is_package: bool, lazy: bool = True) -> FileFacts:
    """Parse one file and collect its facts; a file Python cannot parse yields a SyntaxProblem.

    With `lazy`, a file whose bytes cannot mention Dagster (the prefilter) is only checked for
    syntax: its facts say `lazy=True` and hold nothing, and `resolve` extracts it for real
    (lazy=False) only if another module needs a constant from it.
    """
    try:
        tree = _parse(source, rel)
    except SyntaxError as exc:
        return FileFacts(rel, module, is_package,
                         syntax_error=SyntaxProblem(exc.msg or "invalid syntax", exc.lineno or 1,
                                                    max((exc.offset or 1) - 1, 0)))
    except (ValueError, RecursionError, MemoryError) as exc:
        return FileFacts(rel, module, is_package, syntax_error=SyntaxProblem(str(exc) or type(exc).__name__, 1, 0))
    mentions = might_use_dagster(source)
    if lazy and not mentions:
        # imports only: enough to follow re-exports through this module without extracting it
        importer = _ModuleWalker(module, is_package, light=True)
        importer.statements([stmt for stmt in tree.body if isinstance(stmt, (ast.Import, ast.ImportFrom))])
        return FileFacts(rel, module, is_package, bindings=importer.bindings, star_imports=tuple(importer.stars),
                         noqa=_noqa_lines(source), lazy=True)
    walker = _ModuleWalker(module, is_package, light=not mentions)
    try:
        walker.statements(tree.body)
    except RecursionError:
        return FileFacts(rel, module, is_package,
                         syntax_error=SyntaxProblem("expression nested too deeply to analyse", 1, 0))
    return FileFacts(
        rel=rel, module=module, is_package=is_package, bindings=walker.bindings,
        star_imports=tuple(walker.stars), functions=tuple(walker.functions), noqa=_noqa_lines(source),
        mentions_dagster=mentions,
    )
