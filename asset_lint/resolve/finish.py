"""The last step of resolve, once the code locations are known: what rules read of each function and
module, computed here so that rules read a finished model and never evaluate anything.

What depends on one function or definition only is stored on it (Func.annotations, .storage and
.node_names, Definition/OpDef.requirements): a resumed resolve keeps it with the values of every
module that is not stale, and computes it only for the new values. Each such evaluation is charged to the
function's module, so a module it reads makes that module stale (resolve/snapshot.py). What depends
on the project at large (which Definitions objects a module holds) is stored on the Project.
"""
from __future__ import annotations

from asset_lint.dagster_api_table import MATERIALIZABLE_ASSET, MULTI_ASSET
from asset_lint.findings import Site
from asset_lint.resolve.inputs import CONTEXT_NAMES, annotation_kind
from asset_lint.resolve.ops import job_ops
from asset_lint.resolve.resources import requirements_of
from asset_lint.resolve.storage import storage_uses
from asset_lint.resolve.values import Call, Definition, DefinitionsV, JobDef, Unknown


def finish(project, ev) -> None:
    """Fill in what rules read: storage uses, parameter annotations, resource requirements, and each
    code location module's Definitions objects (decorator keywords are read off the facts on demand:
    Func.decorator_keywords)."""
    for func in _storage_funcs(project):
        if func.storage is None:
            with ev.computing_for(func.module):
                func.storage = storage_uses(ev, func)
    owners = _owners(project)
    for owner in owners:
        func = owner.func
        if func is None:
            continue
        if func.annotations is None:
            with ev.computing_for(func.module):
                func.annotations = _annotations(ev, func)
            if isinstance(owner, Definition) and owner.kind == MULTI_ASSET:
                func.node_names = _node_names(func)
        if owner.requirements is None and isinstance(owner.decorator, Call):
            owner.requirements = requirements_of(owner.decorator, func)   # reads the annotations above
    project.definitions_objects = {module: _definitions_objects(ev, module) for module in sorted(
        {location.module for location in project.locations if location.found and location.module})}
    project.resource_binders = frozenset(ev.interpret_call.resource_binders)
    project.modules = ev.modules
    project.packages = ev.packages


def _owners(project) -> list:
    """Every definition and op of the project and of its code locations (nested ones included), once."""
    found, seen = [], set()

    def add(owner) -> None:
        if id(owner) not in seen:
            seen.add(id(owner))
            found.append(owner)

    for owner in (*project.definitions, *project.ops):
        add(owner)
    for location in project.locations:
        for spec in location.specs:
            add(spec.definition)
            if spec.definition.composition is not None:
                for op in job_ops(spec.definition.composition):
                    add(op)
        jobs = [*location.jobs, *(trigger.job for trigger in location.triggers)]
        for job in jobs:
            if isinstance(job, JobDef):
                for op in job_ops(job):
                    add(op)
    return found


def storage_owners(location) -> list:
    """The assets (definitions) and ops of one code location whose bodies may touch storage: its
    materializable assets and the ops of its op jobs, once each, in that order."""
    owners, seen = [], set()
    for spec in location.specs:
        if spec.kind == MATERIALIZABLE_ASSET and id(spec.definition) not in seen:
            seen.add(id(spec.definition))
            owners.append(spec.definition)
    for job in location.jobs:
        if isinstance(job, JobDef):
            for op in job_ops(job):
                if id(op) not in seen:
                    seen.add(id(op))
                    owners.append(op)
    return owners


def _storage_funcs(project) -> list:
    """The functions whose bodies may touch storage: the code locations' storage owners, every op."""
    funcs, seen = [], set()
    owners = [owner for location in project.locations for owner in storage_owners(location)]
    for owner in (*owners, *project.ops):
        func = owner.func
        if func is not None and id(func) not in seen:
            seen.add(id(func))
            funcs.append(func)
    return funcs


def _annotations(ev, func) -> tuple:
    """What each parameter's annotation names; a leading context parameter and *args/**kwargs are not asked."""
    return tuple("" if param.kind in ("vararg", "varkw") or (index == 0 and param.name in CONTEXT_NAMES)
                 else annotation_kind(ev, func.module, param.annotation)
                 for index, param in enumerate(func.facts.params))


def _node_names(func) -> tuple:
    """(name, site, is_out) for the op name (name= or the function's) and each outs= name of a @multi_asset:
    the names Dagster checks (DG008)."""
    names, named = [], False
    for given in func.decorator_keywords():
        if given.name == "name":
            named = True   # any name= at all replaces the function's name
            if given.text:
                names.append((given.text, given.site, False))
        elif given.name == "outs":
            names.extend((key, site, True) for key, site in given.keys)
    if not named:
        names.append((func.facts.name, Site(func.rel, func.facts.pos), False))
    return tuple(names)


def _origin(ev, module: str, name: str, depth: int = 0):
    """The binding a module-level name finally comes from, following `from x import y` chains."""
    facts = ev.facts_of(module)
    binding = facts.bindings.get(name) if facts is not None else None
    if binding is not None and binding.kind == "from" and depth < 10:
        source_module, source_name = binding.value
        if ev.facts_of(source_module) is not None:
            return _origin(ev, source_module, source_name, depth + 1)
    return binding


def _definitions_objects(ev, module: str):
    """(name, binding) of every module-scope Definitions object, in binding order; None when unknown
    (a star import may bring more) or when a @definitions function takes precedence (R5.7)."""
    facts = ev.facts_of(module)
    if facts is None or facts.syntax_error or facts.star_imports:
        return None
    found = []
    for name, binding in sorted(facts.bindings.items(), key=lambda item: item[1].pos):
        if binding.kind not in ("expr", "func", "from", "unpack"):
            continue
        value = ev.lookup(module, name)
        origin = _origin(ev, module, name)
        if origin is not None and origin.kind == "func" and origin.value.decorators \
                and isinstance(value, (DefinitionsV, Unknown)):
            return None
        if isinstance(value, DefinitionsV):
            found.append((name, binding))
    return found
