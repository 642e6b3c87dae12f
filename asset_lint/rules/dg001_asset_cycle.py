"""DG001 asset-cycle. Prose and examples: rules/DG001-asset-cycle.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import MATERIALIZABLE_ASSET
from asset_lint.findings import Finding, Related
from asset_lint.messages import AssetCycle
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG001"


def _self_dependency_allowed(graph, key: tuple) -> bool:
    """8.10: a time-partitioned self-dependency through a partition mapping loads fine."""
    return any(r.key == key and r.downstream.key == key and r.dep.partition_mapped for r in graph.deps)


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each asset definition on a dependency cycle, with the whole path."""
    graphs = context.graphs
    for graph in graphs:
        for cycle in graph.cycles():
            key = cycle[0]
            if len(cycle) == 2 and _self_dependency_allowed(graph, key):
                continue
            path = " -> ".join(user_string(k) for k in cycle)
            external = [k for k in cycle if any(s.kind != MATERIALIZABLE_ASSET for s in graph.producers.get(k, []))]
            if len(cycle) == 2:
                consequence = "Dagster refuses to load it (\"depends on itself\")"
            elif external:
                consequence = ("Dagster loads it silently because the cycle passes through external asset "
                               f"'{user_string(external[0])}', but the assets can never run in dependency order")
            else:
                consequence = "Dagster fails to load this code location (CircularDependencyError)"
            related = tuple(Related(s.site, f"'{user_string(k)}' is on the cycle")
                            for k in dict.fromkeys(cycle[1:-1]) for s in graph.producers.get(k, [])[:1])
            for spec in graph.producers.get(key, []):
                yield Finding.of(spec.site, AssetCycle(user_string(key), path, consequence), identity=user_string(key),
                                 related=related)
