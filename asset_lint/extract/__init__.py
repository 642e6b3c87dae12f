"""Extract: one file's source -> FileFacts (plain data). Uses the stdlib `ast` only."""
from __future__ import annotations

import ast
import re
import sys
import warnings

from asset_lint.extract.expressions import pos_of, to_ir
from asset_lint.extract.facts import Binding, FileFacts, SyntaxProblem
from asset_lint.extract.newer_syntax import without_type_parameters
from asset_lint.extract.statements import (
    MUTATING_METHODS, BodyConverter, base_name, import_bindings, is_main_guard, is_type_checking,
)

__all__ = ["extract_source"]

_NOQA = re.compile(rb"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


# The prefilter: bytes that could declare or reference Dagster objects (directly, or through a
# wrapper or re-export that still names the decorator). Other modules only supply constants.
_DAGSTER_HINT = re.compile(rb"dagster|asset|Definitions|@[\w.]*(?:op|job|graph)\b|AssetKey|AssetSpec")


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


class _ModuleWalker:
    def __init__(self, module: str, is_package: bool, light: bool = False) -> None:
        self.light = light
        self.module = module
        self.is_package = is_package
        self.bindings: dict = {}
        self.counts: dict = {}
        self.stars: list = []
        self.functions: list = []
        self.converter = BodyConverter(module, is_package, light)
        self.top: list = []           # the module's statements
        self.top_index = 0            # the one being walked
        self.plain_at: dict = {}      # name -> the statement of its last binding to a fresh value
        self.changed: dict = {}       # name -> (first, last statement, pos of the last change) of its script
        self.converted: dict = {}     # statement index -> its statement IR (scripts share statements)

    def walk_module(self, body: list) -> None:
        """Walk the module's statements; then each name a loop, a branch or a mutation builds gets its script."""
        self.top = body
        for index, stmt in enumerate(body):
            self.top_index = index
            self.statement(stmt, False, False)
        for name, entry in self.changed.items():
            self.bindings[name] = self.script(name, entry)

    def bind(self, name: str, binding: Binding, conditional: bool, changes: bool = False,
             plain: bool = True) -> None:
        """Record a binding; one made in a loop or in one of several branches (or `changes`) makes a script."""
        self.counts[name] = self.counts.get(name, 0) + 1
        if changes or (conditional and self.counts[name] > 1):
            self.change(name, binding.pos)
            return
        known = self.bindings.get(name)
        start = self.plain_at.get(name)
        entry = self.changed.pop(name, None)
        if entry is not None:
            start = entry[0]
            if binding.kind == "expr":   # `x = f(x)` reads the value the script built
                known = self.script(name, entry)
        if plain and not (known is not None and _reads(binding, name)):
            start = self.top_index   # a fresh value: a later script starts here
        if start is not None:
            self.plain_at[name] = start
        if known is not None and binding.kind == "expr":
            binding = Binding(binding.kind, binding.value, binding.pos, previous=known)
        self.bindings[name] = binding

    def change(self, name: str, pos) -> None:
        """A module-level statement changes what `name` holds: its value is the script's up to here."""
        entry = self.changed.get(name)
        start = entry[0] if entry is not None else self.plain_at.get(name, self.top_index)
        self.changed[name] = (start, self.top_index, pos)
        self.bindings[name] = Binding("unknown", "changed", pos)   # until the walk ends: then its script

    def script(self, name: str, entry: tuple) -> Binding:
        """The module-level statements from the name's last fresh binding through its last change."""
        start, end, pos = entry
        statements = []
        for index in range(start, end + 1):
            stmt = self.top[index]
            if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
                continue
            converted = self.converted.get(index)
            if converted is None:
                converted = self.converted[index] = self.converter.statement(stmt)
            statements.append(converted)
        return Binding("script", (tuple(statements), name), pos)

    def statements(self, body: list, conditional: bool = False, in_loop: bool = False) -> None:
        for stmt in body:
            self.statement(stmt, conditional, in_loop)

    def statement(self, stmt: ast.stmt, conditional: bool, in_loop: bool) -> None:
        pos = pos_of(stmt)

        def bind(name: str, binding: Binding, changes: bool = False, plain: bool = True) -> None:
            self.bind(name, binding, conditional, changes or in_loop, plain)

        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            pairs, stars = import_bindings(stmt, self.module, self.is_package, pos)
            self.stars.extend(stars)
            for name, binding in pairs:
                bind(name, binding)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts = self.converter.function(stmt)
            if not in_loop:
                self.functions.append(facts)
            bind(stmt.name, Binding("func", facts, pos))
        elif isinstance(stmt, ast.ClassDef):
            bind(stmt.name, Binding("class", self.converter.class_facts(stmt), pos))
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
                and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr in MUTATING_METHODS:
            self.mutated(stmt.value.func, pos)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            previous = self.bindings.get(stmt.target.id)
            if isinstance(stmt.op, ast.Add) and previous is not None and previous.kind == "expr":
                bind(stmt.target.id, Binding("expr", ("add", pos, previous.value, to_ir(stmt.value)), pos), plain=False)
            else:
                bind(stmt.target.id, Binding("unknown", "augmented assignment", pos), changes=True)
        elif isinstance(stmt, ast.If):
            if is_main_guard(stmt.test):
                return  # the `__main__` block never runs when Dagster imports the module
            self.statements(stmt.body, conditional or not is_type_checking(stmt.test), in_loop)
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
        name = base_name(target)
        binding = self.bindings.get(name) if name is not None else None
        # a module or a function is not a container
        if binding is not None and (binding.kind in ("expr", "unpack") or name in self.changed):
            self.change(name, pos)

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


def _reads(binding: Binding, name: str) -> bool:
    """Whether the binding's value reads `name` (`x = f(x)`): then it continues x's earlier value."""
    if binding.kind == "expr":
        return _mentions(binding.value, name)
    return binding.kind == "unpack" and _mentions(binding.value[0], name)


def _mentions(ir, name: str) -> bool:
    if isinstance(ir, tuple):
        if len(ir) == 3 and ir[0] == "name" and ir[2] == name:
            return True
        return any(_mentions(part, name) for part in ir)
    return False


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
        walker.walk_module(tree.body)
    except RecursionError:
        return FileFacts(rel, module, is_package,
                         syntax_error=SyntaxProblem("expression nested too deeply to analyse", 1, 0))
    return FileFacts(
        rel=rel, module=module, is_package=is_package, bindings=walker.bindings,
        star_imports=tuple(walker.stars), functions=tuple(walker.functions), noqa=_noqa_lines(source),
        mentions_dagster=mentions,
    )
