"""DG004 op-should-be-asset. Prose and examples: rules/DG004-op-should-be-asset.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.messages import OpPersistsObject
from asset_lint.resolve.ops import job_ops
from asset_lint.rules.context import RuleContext

CODE = "DG004"


def _ops_inside_graph_assets(project) -> set:
    inside = set()
    for definition in project.definitions:
        if definition.composition is not None:
            inside.update(id(op) for op in job_ops(definition.composition))
    return inside


def _in_memory_keys(project, graphs) -> set:
    """Resource keys that every job or Definitions binding them binds to Dagster's in-memory IO manager."""
    from asset_lint.resolve.ops import IN_MEMORY_IO_MANAGERS
    from asset_lint.resolve.values import Call, Dagster, DictV
    bindings: dict = {}
    sources = [job.resources for job in project.jobs]
    for graph in graphs:
        sources.extend(getattr(job, "resources", None) for job in graph.location.jobs)
    for resources in sources:
        if isinstance(resources, DictV):
            for key, value in resources.items:
                name = value.name if isinstance(value, (Dagster, Call)) else None
                bindings.setdefault(getattr(key, "value", None), set()).add(name in IN_MEMORY_IO_MANAGERS)
    return {key for key, verdicts in bindings.items() if verdicts == {True}}


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each op whose output is a long-lived object in storage."""
    project, graphs = context.project, context.graphs
    inside = _ops_inside_graph_assets(project)
    in_memory = _in_memory_keys(project, graphs)
    for op in project.ops:
        if id(op) in inside:
            continue  # composed by a @graph_asset: it already is (part of) an asset
        reasons = [f"its output goes to io_manager_key '{k}'" for k in op.io_manager_keys if k not in in_memory]
        # a file whose path the op returns is how it hands data to the next op, not a stored object
        handed_on = {a.pos for a in op.func.facts.storage if a.handed_on}
        writes = [a for a in op.func.facts.storage if a.mode == "write" and not a.handed_on]
        uses = [u for u in op.func.storage if u.mode == "write" and u.site.span not in handed_on]
        if uses:
            reasons.append(f"it writes {uses[0].label} ({uses[0].method})")
        elif writes:
            reasons.append(f"it writes with {writes[0].method}()")
        if reasons:
            yield Finding.of(op.site, OpPersistsObject(op.name, '; '.join(reasons)), identity=op.name)
