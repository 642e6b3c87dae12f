"""DG004 op-should-be-asset. Prose and examples: rules/DG004-op-should-be-asset.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.graph import job_ops

CODE = "DG004"


def _ops_inside_graph_assets(project) -> set:
    inside = set()
    for definition in project.definitions:
        if definition.composition is not None:
            inside.update(id(op) for op in job_ops(definition.composition))
    return inside


def check(project, graphs, settings) -> Iterator[Finding]:
    """Yield a finding at each op whose output is a long-lived object in storage."""
    inside = _ops_inside_graph_assets(project)
    for op in project.ops:
        if id(op) in inside:
            continue  # composed by a @graph_asset: it already is (part of) an asset
        reasons = [f"its output goes to io_manager_key '{k}'" for k in op.io_manager_keys]
        writes = [a for a in op.func.facts.storage if a.mode == "write"]
        uses = [u for u in project.storage(op) if u.mode == "write"]
        if uses:
            reasons.append(f"it writes {uses[0].label} ({uses[0].method})")
        elif writes:
            reasons.append(f"it writes with {writes[0].method}()")
        if reasons:
            yield Finding.at(op.site, CODE, f"op '{op.name}' persists a long-lived object: {'; '.join(reasons)}; "
                             "Dagster cannot track its lineage or freshness: declare it as an @asset",
                             identity=op.name)
