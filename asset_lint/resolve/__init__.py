"""Resolve: all FileFacts -> Project (definitions, code locations, constants across modules).

A value that cannot be followed statically is Unknown, explicitly; rules stay silent on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from asset_lint.resolve.values import Definition, JobDef, OpDef, Unknown

# The evaluator and its Dagster knowledge load on first use (build_project), so that a run whose
# findings come from the cache does not pay for importing them.
__all__ = ["Project", "build_project"]


@dataclass
class Project:
    """The resolved project: every module's facts, the code locations, and all module-level definitions.

    Finished: rules read these fields (and the values they hold) and evaluate nothing (resolve.finish).
    """

    root: Path
    facts: dict                                   # rel path -> FileFacts
    evaluator: object                             # resolve.evaluate.Evaluator: for the snapshot, never for rules
    locations: list
    definitions: list = field(default_factory=list)   # module-level asset definitions, in file order
    ops: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    internal_errors: list = field(default_factory=list)   # (rel, pos, exception): reported as DG999
    data_files: list = field(default_factory=list)        # non-Python files read (dbt manifests)
    modules: dict = field(default_factory=dict)           # module -> FileFacts as resolve read them
    packages: set = field(default_factory=set)            # every dotted prefix of a module name
    # code location module -> [(name, Binding)] of its module-scope Definitions objects, in binding
    # order; None when a star import may bring more or a @definitions function takes precedence (R5.7)
    definitions_objects: dict = field(default_factory=dict)
    # the modules whose values call with_resources(...) (resources bound outside Definitions); None
    # before finish: every location may have such bindings
    resource_binders: Optional[frozenset] = None


def build_project(root: Path, facts_by_rel: dict, location_specs: list, dg_projects: list,
                  extra_decorators: Optional[dict] = None, extract_in_full=None, snapshot=None,
                  stale: frozenset = frozenset(), guarded: Optional[dict] = None, track: bool = True) -> Project:
    """Evaluate every module-level name that could be a Dagster definition and every code location.

    snapshot: a resolve.snapshot.Snapshot of this project, whose values are taken for every module
    not in `stale` (the modules of changed files, and all that depend on them); `guarded`: see
    snapshot.guarded_names. track: record what a snapshot needs (which module depends on which);
    off when none will be kept, as on a cold run."""
    from asset_lint.resolve.dagster_api import DagsterApi
    from asset_lint.resolve.evaluate import Evaluator
    from asset_lint.resolve.locations import Loaders, build_locations
    modules = {f.module: f for f in facts_by_rel.values() if f.module}
    module_files = {m: f.rel for m, f in modules.items()}
    if snapshot is not None:  # unchanged files as the last resolve left them (some made full), changed ones anew
        modules = {m: (snapshot.modules.get(m, f) if snapshot.facts.get(f.rel) is f else f)
                   for m, f in modules.items()}
    api = DagsterApi(extra_decorators)
    evaluator = Evaluator(modules, api, extract_in_full, track or snapshot is not None)
    if snapshot is not None:
        from asset_lint.resolve.snapshot import resume
        resume(evaluator, snapshot, stale, guarded or {})
    loaders = Loaders(root, module_files, dg_projects)
    api.loaders = loaders
    project = Project(root, facts_by_rel, evaluator, [])
    api.data_files = project.data_files
    seen = set()
    for rel in sorted(facts_by_rel):
        facts = facts_by_rel[rel]
        if not facts.module or not facts.mentions_dagster or facts.syntax_error:
            continue
        for index, (name, binding) in enumerate(facts.bindings.items()):
            # only decorated functions and calls (or lists of them) can be definitions
            if not ((binding.kind == "func" and binding.value.decorators)
                    or (binding.kind == "expr" and binding.value[0] in ("call", "list", "tuple", "add"))):
                continue
            evaluator.position = (rel, index)
            try:
                value = evaluator.lookup(facts.module, name)
            except Exception as exc:  # asset-lint's own bug: report the file (DG999), keep going
                project.internal_errors.append((rel, binding.pos, exc))
                evaluator._names[(facts.module, name)] = Unknown("internal error")
                continue
            if id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, Definition):
                project.definitions.append(value)
            elif isinstance(value, OpDef):
                project.ops.append(value)
            elif isinstance(value, JobDef):
                project.jobs.append(value)
    from asset_lint.resolve.evaluate import AFTER_NAMES
    evaluator.position = AFTER_NAMES
    project.locations = build_locations(evaluator, loaders, list(location_specs), module_files)
    from asset_lint.resolve.finish import finish
    finish(project, evaluator)
    return project


def dg_projects_of(specs: list) -> list:
    """(project folder, defs module) for each dg project declared in a pyproject.toml."""
    return [(str(Path(s.declared_in).parent.as_posix()), s.module) for s in specs if s.kind == "dg_project"]
