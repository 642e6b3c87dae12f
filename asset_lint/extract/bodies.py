"""What a function body does that rules care about: storage reads/writes, op composition, resources."""
from __future__ import annotations

import ast
from dataclasses import replace
from typing import Optional

from asset_lint.extract.expressions import pos_of, to_ir, walk
from asset_lint.extract.facts import Invocation, StorageAccess

# method or function name -> (mode, target kind, keyword names that carry the target)
_WRITE_METHODS = {
    "to_sql": ("table", ("name",)),
    "to_parquet": ("path", ("path", "path_or_buf", "fname")),
    "to_csv": ("path", ("path_or_buf", "path")),
    "to_feather": ("path", ("path",)),
    "to_excel": ("path", ("excel_writer",)),
    "to_json": ("path", ("path_or_buf",)),
    "to_pickle": ("path", ("path",)),
    "write_parquet": ("path", ("file",)),
    "write_csv": ("path", ("file",)),
    "write_ipc": ("path", ("file",)),
    "write_delta": ("path", ("target",)),
    "write_database": ("table", ("table_name",)),
    "saveAsTable": ("table", ("name",)),
    "insertInto": ("table", ("tableName",)),
    "pickle_to_s3": ("path", ("key",)),
    "put_object": ("path", ("Key",)),
    "upload_file": ("path", ("Key",)),
    "upload_fileobj": ("path", ("Key",)),
}
# Where the target sits positionally, when it is not the first argument.
_TARGET_INDEX = {"pickle_to_s3": None, "put_object": None, "upload_file": 2, "upload_fileobj": 2}
_READ_FUNCTIONS = {
    "read_sql": ("sql", ("sql",)),
    "read_sql_query": ("sql", ("sql",)),
    "read_sql_table": ("table", ("table_name",)),
    "read_parquet": ("path", ("path", "source")),
    "read_csv": ("path", ("filepath_or_buffer", "source")),
    "read_feather": ("path", ("path",)),
    "read_excel": ("path", ("io",)),
    "read_json": ("path", ("path_or_buf",)),
    "read_pickle": ("path", ("filepath_or_buffer",)),
    "scan_parquet": ("path", ("source",)),
    "read_database": ("sql", ("query",)),
    "get_object": ("path", ("Key",)),
    "download_file": ("path", ("Key",)),
    "download_fileobj": ("path", ("Key",)),
}
# Where a read's target sits positionally, when it is not the first argument (boto3: Bucket, Key, ...).
_READ_INDEX = {"get_object": None, "download_file": 1, "download_fileobj": 1}
_SQL_METHODS = {"execute", "sql", "query"}  # SQL text: writes and reads are told apart by parsing it later


def _target(call: ast.Call, index: Optional[int], keywords: tuple) -> Optional[ast.AST]:
    for k in call.keywords:
        if k.arg in keywords:
            return k.value
    if index is not None and len(call.args) > index:
        return call.args[index]
    return None


def _storage_access(call: ast.Call) -> Optional[StorageAccess]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name is None:
        return None
    if name in _WRITE_METHODS:
        kind, keywords = _WRITE_METHODS[name]
        node = _target(call, _TARGET_INDEX.get(name, 0), keywords)
        return StorageAccess("write", name, to_ir(node) if node is not None else None, kind, pos_of(call))
    if name in _READ_FUNCTIONS:
        kind, keywords = _READ_FUNCTIONS[name]
        node = _target(call, _READ_INDEX.get(name, 0), keywords)
        return StorageAccess("read", name, to_ir(node) if node is not None else None, kind, pos_of(call))
    if name in _SQL_METHODS and isinstance(func, ast.Attribute) and call.args:
        return StorageAccess("sql", name, to_ir(call.args[0]), "sql", pos_of(call))
    return None


def _returned_shapes(body: list) -> set:
    """The expressions the body itself returns (each element of a returned tuple too), position-free."""
    shapes, pending = set(), list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # a nested helper's return is not the op's output
        if isinstance(node, ast.Return) and node.value is not None:
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            shapes.update(ast.dump(v) for v in values)
        pending.extend(ast.iter_child_nodes(node))
    return shapes


def scan_storage_and_resources(body: list) -> tuple[tuple[StorageAccess, ...], tuple[str, ...]]:
    """Storage accesses and `<x>.resources.<name>` attributes anywhere in the body."""
    accesses = []
    resources = set()
    returned = None
    for stmt in body:
        for node in walk(stmt):
            if isinstance(node, ast.Call):
                found = _storage_access(node)
                if found:
                    if found.mode == "write" and found.target_kind == "path":
                        returned = _returned_shapes(body) if returned is None else returned
                        target = _target(node, _TARGET_INDEX.get(found.method, 0), _WRITE_METHODS[found.method][1])
                        if target is not None and ast.dump(target) in returned:
                            found = replace(found, handed_on=True)
                    accesses.append(found)
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                  and node.value.attr == "resources"):
                resources.add(node.attr)
    return tuple(accesses), tuple(sorted(resources))


class _Composition:
    """Reads a @job/@graph body: which op is invoked with whose outputs (semantics R7.2)."""

    def __init__(self) -> None:
        self.invocations: list = []
        self.names: dict = {}
        self.dynamic = False

    def ref(self, node: ast.AST) -> tuple:
        if isinstance(node, ast.Call):
            index = self.call(node)
            return ("inv", index, None) if index is not None else ("other",)
        if isinstance(node, ast.Name):
            return self.names.get(node.id, ("other",))
        if isinstance(node, ast.Attribute):
            base = self.ref(node.value)
            if base[0] == "inv" and base[2] is None:
                return ("inv", base[1], node.attr)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            base = self.ref(node.value)
            if base[0] == "inv" and base[2] is None:
                return ("inv", base[1], node.slice.value)
        if isinstance(node, (ast.Tuple, ast.List)):
            for e in node.elts:
                self.ref(e)
        return ("other",)

    def call(self, node: ast.Call) -> Optional[int]:
        args = tuple(self.ref(a) for a in node.args)
        kwargs = tuple((k.arg, self.ref(k.value)) for k in node.keywords)
        self.invocations.append(Invocation(to_ir(node.func), args, kwargs, pos_of(node)))
        return len(self.invocations) - 1

    def bind(self, target: ast.AST, value: tuple) -> None:
        if isinstance(target, ast.Name):
            self.names[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)) and value[0] == "inv" and value[2] is None:
            for i, element in enumerate(target.elts):
                self.bind(element, ("inv", value[1], i))

    def statements(self, body: list) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                value = self.ref(stmt.value)
                for target in stmt.targets:
                    self.bind(target, value)
            elif isinstance(stmt, (ast.Expr, ast.Return)) and stmt.value is not None:
                if isinstance(stmt.value, ast.Dict):
                    for v in stmt.value.values:
                        self.ref(v)
                else:
                    self.ref(stmt.value)
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.Try)):
                self.dynamic = True
                for sub in ast.iter_child_nodes(stmt):
                    if isinstance(sub, ast.stmt):
                        self.statements([sub])
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.dynamic = True


def scan_composition(body: list) -> tuple[tuple[Invocation, ...], bool]:
    """Invocations in a composition body and whether its wiring is dynamic (loops, branches)."""
    composition = _Composition()
    composition.statements(body)
    for stmt in body:
        for node in walk(stmt):
            if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                composition.dynamic = True
    return tuple(composition.invocations), composition.dynamic
