"""Which long-lived objects (tables, files, object-store keys) a function body reads and writes."""
from __future__ import annotations

import re
from dataclasses import dataclass

from asset_lint.findings import Site
from asset_lint.picklable import pickled_as_a_call
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.values import Func, constant_str

_IDENT = r'([A-Za-z_"`\[][\w."`\]]*)'
_SQL_WRITE = re.compile(
    r"\b(?:insert\s+(?:into|overwrite)(?:\s+table)?|create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+|transient\s+)?"
    r"(?:table|view)(?:\s+if\s+not\s+exists)?|merge\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+" + _IDENT,
    re.IGNORECASE)
_SQL_READ = re.compile(r"\b(?:from|join)\s+" + _IDENT + r"(?!\s*\()", re.IGNORECASE)
_SQL_CTE = re.compile(r"(?:\bwith|,)\s*([A-Za-z_]\w*)\s+as\s*\(", re.IGNORECASE)
_NOT_TABLES = frozenset({"select", "lateral", "unnest", "values", "dual", "information_schema"})


@dataclass(unsafe_hash=True)
class StorageUse:
    """One read or write of a named object: `object` is "table:<name>" or "path:<path>"."""

    mode: str
    object: str
    site: Site
    method: str

    @property
    def label(self) -> str:
        kind, _, name = self.object.partition(":")
        return f"{kind} '{name}'"


pickled_as_a_call(StorageUse)


def _table(name: str) -> str:
    return "table:" + name.strip('"`[]').replace('"', "").replace("`", "").lower()


def sql_objects(sql: str) -> tuple:
    """(tables written, tables read) by one SQL text; CTE names are not tables."""
    ctes = {m.lower() for m in _SQL_CTE.findall(sql)}
    written = [m for m in _SQL_WRITE.findall(sql)]
    spans = {m.start(1) for m in _SQL_WRITE.finditer(sql)}
    read = [m.group(1) for m in _SQL_READ.finditer(sql) if m.start(1) not in spans]
    keep = lambda names: [n for n in names if n.lower() not in ctes and n.lower() not in _NOT_TABLES]  # noqa: E731
    return tuple(_table(n) for n in keep(written)), tuple(_table(n) for n in keep(read))


def storage_uses(ev: Evaluator, func: Func) -> list:
    """Evaluate each StorageAccess target; accesses whose object cannot be named are left out."""
    uses = []
    for access in func.facts.storage:
        site = Site(func.rel, access.pos)
        if access.target is None:
            continue
        text = constant_str(ev.eval(func.module, access.target))
        if text is None:
            continue
        if access.target_kind == "sql":
            written, read = sql_objects(text)
            if access.mode == "read":
                read, written = read + written, ()
            uses.extend(StorageUse("write", o, site, access.method) for o in written)
            uses.extend(StorageUse("read", o, site, access.method) for o in read)
        elif access.target_kind == "table":
            uses.append(StorageUse(access.mode, _table(text), site, access.method))
        else:
            uses.append(StorageUse(access.mode, "path:" + text, site, access.method))
    return uses
