"""DG017 missing-resource. Prose and examples: rules/DG017-missing-resource.md."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from asset_lint.dagster_api_table import FUNCTION_ASSET_KINDS
from asset_lint.findings import Finding
from asset_lint.messages import MissingResource, UnprovidedResource, UnrequiredResource
from asset_lint.resolve.ops import job_ops
from asset_lint.resolve.resources import Requirements, constant_keys, modules_reached
from asset_lint.resolve.values import Call, JobDef, OpDef
from asset_lint.rules.context import RuleContext, describe

CODE = "DG017"
DEFAULT_IO_MANAGER = "io_manager"   # Dagster always provides it (R7.3)
# What Dagster calls each kind of requirement in its load error.
_NOUN = {"resource": "resource", "io": "io manager", "input": "input manager"}


def _provided_by_definitions(project, location) -> Optional[set]:
    """Resource keys the location's Definitions bind; None when some binding cannot be followed."""
    if not (location.definitions_known and location.complete) or _bound_elsewhere(project, location):
        return None
    provided = {DEFAULT_IO_MANAGER}
    for resources in location.resources:
        keys = constant_keys(resources)
        if keys is None:
            return None
        provided |= keys
    return provided


def _bound_elsewhere(project, location) -> bool:
    """Whether a with_resources(...) call may have bound resources to what the location holds."""
    binders = project.resource_binders
    if not binders:
        return binders is None
    seeds = {location.module} | {spec.definition.module for spec in location.specs}
    for job in location.jobs:
        if isinstance(job, JobDef):
            seeds.add(job.module)
            seeds.update(op.module for op in job_ops(job))
    seeds.discard("")
    return not binders.isdisjoint(modules_reached(project.modules, seeds, location.packages_read))


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
            yield Finding.of(owner.site, MissingResource(name, noun, key, where, node, _hint(key, available)),
                             identity=key)
    if not reqs.body_known:
        return
    for key in reqs.body_uses:
        if key in reqs.declared:
            continue
        name = describe(owner)
        if provided is not None and key in provided | reqs.own:
            yield Finding.of(owner.site, UnrequiredResource(name, key), identity=key)
        elif provided is not None:
            yield Finding.of(owner.site, UnprovidedResource(name, key, where, _hint(key, provided)), identity=key)


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
        if definition.kind not in FUNCTION_ASSET_KINDS or id(definition) in seen:
            continue
        seen.add(id(definition))
        if isinstance(definition.decorator, Call) and definition.func is not None:
            if definition.requirements.anything:
                yield from _findings(definition, definition.requirements, provided, "the Definitions")
        if definition.composition is not None:
            for op in job_ops(definition.composition):
                if id(op) not in seen and isinstance(op.decorator, Call):
                    seen.add(id(op))
                    if op.requirements.anything:
                        yield from _findings(op, op.requirements, provided, "the Definitions")
    jobs = [job for job in location.jobs if isinstance(job, JobDef)]
    jobs += [t.job for t in location.triggers if isinstance(t.job, JobDef)]
    for job in jobs:
        own = constant_keys(job.resources)
        if own is None:
            continue
        # a job with its own resource_defs is checked against them alone, when it is decorated (S0)
        job_provided = own | {DEFAULT_IO_MANAGER} if own else provided
        where = f"job '{job.name}' (resource_defs=)" if own else "the Definitions"
        for op in job_ops(job):
            if (id(op), id(job_provided)) in seen or not isinstance(op.decorator, Call):
                continue
            seen.add((id(op), id(job_provided)))
            if op.requirements.anything:
                yield from _findings(op, op.requirements, job_provided, where)


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding per resource or IO-manager key an op or asset needs and nobody provides (8.32)."""
    emitted: set = set()
    for graph in context.graphs:
        for finding in _check_location(context.project, graph):
            if (finding.site, finding.message) not in emitted:
                emitted.add((finding.site, finding.message))
                yield finding
