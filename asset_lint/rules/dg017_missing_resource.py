"""DG017 missing-resource. Prose and examples: rules/DG017-missing-resource.md."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

from asset_lint.findings import Finding
from asset_lint.graph import describe, job_ops
from asset_lint.picklable import pickled_as_a_call
from asset_lint.resolve.evaluate import constant_str
from asset_lint.resolve.inputs import CONTEXT_NAMES, is_resource_annotation
from asset_lint.resolve.values import Call, Const, DictV, JobDef, OpDef, Seq

CODE = "DG017"
DEFAULT_IO_MANAGER = "io_manager"   # Dagster always provides it (R7.3)
ASSET_KINDS = frozenset({"asset", "multi_asset", "graph_asset", "graph_multi_asset"})
# Attributes of `context.resources` itself (a namedtuple), not resource keys.
_NOT_RESOURCE_KEYS = frozenset({"original_resource_dict"})
# What Dagster calls each kind of requirement in its load error.
_NOUN = {"resource": "resource", "io": "io manager", "input": "input manager"}
# (decorator keyword, constructors naming a manager, requirement kind, the constructors' keyword)
_MANAGER_KEYWORDS = (("outs", ("AssetOut", "Out"), "io", "io_manager_key"),
                     ("out", ("Out",), "io", "io_manager_key"),
                     ("ins", ("AssetIn", "In"), "input", "input_manager_key"))


def _keys(value) -> Optional[set]:
    """Constant string keys of a dict or a set/list of names; None when any cannot be known."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return set()
    if isinstance(value, DictV):
        keys = [constant_str(k) for k, _ in value.items]
    elif isinstance(value, Seq):
        keys = [constant_str(v) for v in value.items]
    else:
        return None
    return None if None in keys else set(keys)


def _manager_keys(value, constructors: tuple, keyword: str) -> Optional[list]:
    """io_manager_key= / input_manager_key= of Out/AssetOut/In/AssetIn values (one, or a dict of them)."""
    if value is None:
        return []
    items = [value] if isinstance(value, Call) else [v for _, v in value.items] if isinstance(value, DictV) else None
    if items is None:
        return None
    keys = []
    for item in items:
        if not isinstance(item, Call) or item.name not in constructors:
            return None
        given = item.kwargs.get(keyword)
        if given is not None and not (isinstance(given, Const) and given.value is None):
            if constant_str(given) is None:
                return None
            keys.append(constant_str(given))
    return keys


@dataclass
class Requirements:
    """What one op or asset requires: (kind, key) pairs, plus its context.resources uses in the body."""

    known: bool          # required_resource_keys= could be read
    judged: bool         # resource_defs= could be read (else it may provide anything: nothing is judged)
    needs: list          # (kind, key)
    own: set             # keys its own resource_defs= provide
    declared: set        # keys it requires or provides itself
    body_known: bool
    body_uses: tuple     # context.resources.<key> in its body


pickled_as_a_call(Requirements)


def requirements_of(ev, decorator: Call, func) -> Requirements:
    kw = decorator.kwargs
    known, needs = True, []
    required = _keys(kw.get("required_resource_keys"))
    own = _keys(kw.get("resource_defs"))
    judged = own is not None
    if required is None:
        known = False
        required = set()
    own = own or set()
    declared = required | own
    needs.extend(("resource", key) for key in sorted(required))
    params_known = True
    for index, param in enumerate(func.facts.params):
        if param.kind in ("vararg", "varkw") or (index == 0 and param.name in CONTEXT_NAMES):
            continue
        verdict = is_resource_annotation(ev, func.module, param.annotation)
        if verdict is None:
            params_known = False
        elif verdict:
            declared.add(param.name)
            needs.append(("resource", param.name))
    io_manager = constant_str(kw.get("io_manager_key"))
    if io_manager:
        needs.append(("io", io_manager))
    for keyword, constructors, kind, manager in _MANAGER_KEYWORDS:
        given = kw.get(keyword)
        if given is None:
            continue   # most decorators have none of them: no call needed
        keys = _manager_keys(given, constructors, manager)
        if keys is None:
            continue   # an unknown out/in only hides its own manager key
        needs.extend((kind, key) for key in keys)
    body_uses = tuple(name for name in func.facts.resource_attrs if name not in _NOT_RESOURCE_KEYS
                      and not name.startswith("_"))
    return Requirements(known, judged, needs, own, declared, known and params_known and bool(func.facts.params),
                        body_uses)


def _requirements(project, owner) -> Optional[Requirements]:
    """Derived from the owner alone, and kept for the next run (Project.derive); None when the owner
    needs nothing at all (most do not)."""
    return project.derive(CODE, owner, _needed, project.evaluator, owner)


def _needed(ev, owner) -> Optional[Requirements]:
    reqs = requirements_of(ev, owner.decorator, owner.func)
    return reqs if reqs.needs or reqs.body_uses else None


def _provided_by_definitions(project, location) -> Optional[set]:
    """Resource keys the location's Definitions bind; None when some binding cannot be followed."""
    if getattr(project.evaluator.interpret_call, "binds_resources_elsewhere", True):
        return None
    if not (location.definitions_known and location.complete):
        return None
    provided = {DEFAULT_IO_MANAGER}
    for resources in location.resources:
        keys = _keys(resources)
        if keys is None:
            return None
        provided |= keys
    return provided


def _hint(key: str, provided: set) -> str:
    import difflib  # only for a finding (see graph.closest_keys)
    close = difflib.get_close_matches(key, sorted(provided - {DEFAULT_IO_MANAGER}), n=1, cutoff=0.7)
    return f"; did you mean '{close[0]}'?" if close else ""


def _findings(owner, reqs: Requirements, provided: Optional[set], where: str) -> Iterator[Finding]:
    # the owner's description and node name are built only for a finding: most owners have none
    if not reqs.judged:
        return
    if provided is not None:
        available = provided | reqs.own
        for kind, key in dict.fromkeys(reqs.needs):
            if key in available:
                continue
            noun, name, node = _NOUN[kind], describe(owner), _node_name(owner)
            yield Finding.at(owner.site, CODE, f"{name} requires {noun} '{key}', which {where} does not provide: "
                             f"Dagster fails to load the code location (\"{noun} with key '{key}' required by op "
                             f"'{node}' ... was not provided\"){_hint(key, available)}", identity=key)
    if not reqs.body_known:
        return
    for key in reqs.body_uses:
        if key in reqs.declared:
            continue
        name = describe(owner)
        if provided is not None and key in provided | reqs.own:
            yield Finding.at(owner.site, CODE, f"{name} uses context.resources.{key} without requiring it: Dagster "
                             f"gives an op only the resources it requires, so every run fails with "
                             f"DagsterUnknownResourceError (\"Unknown resource `{key}`\"); add '{key}' to "
                             f"required_resource_keys", identity=key)
        elif provided is not None:
            yield Finding.at(owner.site, CODE, f"{name} uses context.resources.{key}, which it does not require and "
                             f"{where} does not provide: Dagster loads it, but every run fails with "
                             f"DagsterUnknownResourceError (\"Unknown resource `{key}`\"){_hint(key, provided)}",
                             identity=key)


def _node_name(owner) -> str:
    if isinstance(owner, OpDef):
        return owner.name
    names = [spec.op_name for spec in owner.specs if spec.op_name]
    return names[0] if names else owner.name


def _check_location(project, graph) -> Iterator[Finding]:
    location = graph.location
    provided = _provided_by_definitions(project, location)
    seen: set = set()
    for spec in location.specs:
        definition = spec.definition
        if definition.kind not in ASSET_KINDS or id(definition) in seen:
            continue
        seen.add(id(definition))
        if isinstance(definition.decorator, Call) and definition.func is not None:
            reqs = _requirements(project, definition)
            if reqs is not None:
                yield from _findings(definition, reqs, provided, "the Definitions")
        if definition.composition is not None:
            for op in job_ops(definition.composition):
                if id(op) not in seen and isinstance(op.decorator, Call):
                    seen.add(id(op))
                    reqs = _requirements(project, op)
                    if reqs is not None:
                        yield from _findings(op, reqs, provided, "the Definitions")
    jobs = [job for job in location.jobs if isinstance(job, JobDef)]
    jobs += [t.job for t in location.triggers if isinstance(t.job, JobDef)]
    for job in jobs:
        own = _keys(job.resources)
        if own is None:
            continue
        # a job with its own resource_defs is checked against them alone, when it is decorated (S0)
        job_provided = own | {DEFAULT_IO_MANAGER} if own else provided
        where = f"job '{job.name}' (resource_defs=)" if own else "the Definitions"
        for op in job_ops(job):
            if (id(op), id(job_provided)) in seen or not isinstance(op.decorator, Call):
                continue
            seen.add((id(op), id(job_provided)))
            reqs = _requirements(project, op)
            if reqs is not None:
                yield from _findings(op, reqs, job_provided, where)


def check(project, graphs, settings) -> Iterator[Finding]:
    """Yield a finding per resource or IO-manager key an op or asset needs and nobody provides (8.32)."""
    emitted: set = set()
    for graph in graphs:
        for finding in _check_location(project, graph):
            if (finding.site, finding.message) not in emitted:
                emitted.add((finding.site, finding.message))
                yield finding
