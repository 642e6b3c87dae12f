"""A resolved project kept for the next run, so that after an edit only the modules that depend on
an edited module are evaluated again.

Loading the evaluated values of a whole project costs less than half of computing them again, so a
run that finds a snapshot of the same project (same files, settings and config) takes the values of
every module whose evaluation read no changed module, and evaluates the rest as a fresh run would.
The evaluator records, for each module, the modules its values were computed from (imports,
loaders, calls); the modules to evaluate again are the changed ones and, transitively, all that
depend on them. Values that share an object keep sharing it: the snapshot is one pickle.

A snapshot is written by a run that had to compute (its inputs changed) and found a cache but no
usable snapshot, or one so far behind that a quarter of the modules had to be evaluated again;
never by a cold run (on CI the cache is thrown away), nor for a project that read data files or
hit an internal error. Circular definitions: see guarded_names.
"""
from __future__ import annotations

import dataclasses
import io
import pickle
from typing import Optional

SNAPSHOT_FORMAT = 11          # bump when Snapshot, or anything a snapshot holds, changes shape
MAX_FILES = 20_000            # beyond this the pickle's memo (one entry per object) costs too much memory
REWRITE_SHARE = 0.25          # evaluated again more than this share of the modules: write a newer snapshot

_CLASS_MODULES = frozenset({"asset_lint.resolve.values", "asset_lint.extract.facts", "asset_lint.findings",
                            "asset_lint.resolve.storage", "asset_lint.resolve.resources",
                            "asset_lint.resolve.snapshot"})
_BUILTINS = frozenset({"frozenset", "set", "dict", "list", "tuple", "complex", "Ellipsis", "bytes",
                       "bytearray"})
# unpickled as DefinitionKind(value), AssetKind(value)
_ENUMS = frozenset({("asset_lint.dagster_api_table", "DefinitionKind"), ("asset_lint.dagster_api_table", "AssetKind")})


class _SnapshotUnpickler(pickle.Unpickler):
    """Only asset-lint's own data classes and plain builtins: a tampered file cannot run code."""

    def find_class(self, module: str, name: str):
        if (module == "builtins" and name in _BUILTINS) or (module, name) in _ENUMS:
            return super().find_class(module, name)
        if module in _CLASS_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not snapshot data")


@dataclasses.dataclass
class Snapshot:
    """What a resolve left behind: every module's facts and values, and who depends on whom."""

    frame: str                # the project's files, settings and config (not the files' contents)
    sha256_by_path: dict      # rel path -> sha256 of the bytes the facts were extracted from
    facts: dict               # rel path -> FileFacts (as the run had them: prefiltered ones lazy)
    modules: dict             # module -> FileFacts as the evaluator had them (some made full)
    names: dict               # (module, name) -> Value
    shadowed: list            # (module, name, binding, Value): names read while being rebound
    exprs: list               # (module, call IR, Value)
    depends: dict             # module -> modules its values were computed from
    binders: set              # modules whose values call with_resources(...)
    reread: dict              # rel path -> sha256 of prefiltered modules evaluated in full
    cuts: list                # circular definitions cut: (modules under way, names in the cycle, position)


def capture(project, frame: str, sha256_by_path: dict, reread: dict) -> Optional[bytes]:
    """The project as resolve left it, pickled; None when it must not be reused."""
    evaluator = project.evaluator
    if evaluator.depends is None or project.internal_errors or project.data_files \
            or len(project.facts) > MAX_FILES:
        return None
    names, shadowed = {}, []
    for key, value in evaluator._names.items():
        if len(key) == 2:
            names[key] = value
        else:
            shadowed.append((key[0], key[1], evaluator.shadow_bindings[key[2]], value))
    snapshot = Snapshot(frame, dict(sha256_by_path), project.facts, evaluator.modules, names, shadowed,
                        [(module, expr, value) for (module, _), (expr, value) in evaluator._exprs.items()],
                        evaluator.depends, set(evaluator.interpret_call.resource_binders), dict(reread),
                        list(evaluator.cuts))
    try:
        return pickle.dumps((SNAPSHOT_FORMAT, snapshot), protocol=4)
    except Exception:  # values nested too deeply to pickle (RecursionError): the next run resolves afresh
        return None


def load(blob: bytes, frame: str) -> Optional[Snapshot]:
    """The snapshot in `blob` when it was taken of this frame; None otherwise (or when damaged)."""
    try:
        fmt, snapshot = _SnapshotUnpickler(io.BytesIO(blob)).load()
    except Exception:  # truncated, corrupt or foreign: resolve afresh
        return None
    if fmt != SNAPSHOT_FORMAT or not isinstance(snapshot, Snapshot) \
            or not all(hasattr(snapshot, f.name) for f in dataclasses.fields(Snapshot)) or snapshot.frame != frame:
        return None
    return snapshot


def stale_modules(snapshot: Snapshot, changed: set) -> set:
    """The changed modules and every module whose values were computed from one of them."""
    dependents: dict = {}
    for module, sources in snapshot.depends.items():
        for source in sources:
            dependents.setdefault(source, []).append(module)
    stale, todo = set(changed), list(changed)
    while todo:
        for module in dependents.get(todo.pop(), ()):
            if module not in stale:
                stale.add(module)
                todo.append(module)
    return stale


def guarded_names(snapshot: Snapshot, stale: set) -> Optional[dict]:
    """The names of cycles to watch when resuming with these modules stale, each with where the
    last resolve entered its cycle; None: resolve afresh.

    A cycle is cut where evaluation first entered it. Stale modules are evaluated in the order a
    fresh run evaluates them (no unchanged module reaches into a stale one), so a cycle among stale
    names is cut where a fresh run cuts it. A cycle among unchanged names keeps its cut if what
    entered it is unchanged too, and no stale module reaches it earlier in the resolve than that
    (a fresh run would enter it there): its names are guarded, and reaching one from an earlier
    position sends the run back to a fresh resolve.
    """
    guarded: dict = {}
    for under_way, cycle, position in snapshot.cuts:
        cycle_modules = {key[0] for key in cycle}
        if cycle_modules <= stale:
            continue
        if cycle_modules & stale or under_way & stale:
            return None
        for key in cycle:
            guarded[key] = min(position, guarded.get(key, position))
    return guarded


def resume(evaluator, snapshot: Snapshot, stale: set, guarded: dict) -> None:
    """Give a new evaluator the snapshot's values of every module that is not stale."""
    evaluator._names = {key: value for key, value in snapshot.names.items() if key[0] not in stale}
    for module, name, binding, value in snapshot.shadowed:
        if module not in stale:
            evaluator._names[(module, name, id(binding))] = value
            evaluator.shadow_bindings[id(binding)] = binding
    evaluator._exprs = {(module, id(expr)): (expr, value) for module, expr, value in snapshot.exprs
                        if module not in stale}
    evaluator.depends = {module: sources for module, sources in snapshot.depends.items() if module not in stale}
    evaluator.interpret_call.resource_binders = {m for m in snapshot.binders if m not in stale}
    evaluator.cuts = [cut for cut in snapshot.cuts if not ({key[0] for key in cut[1]} & stale)]
    evaluator.guarded = guarded
