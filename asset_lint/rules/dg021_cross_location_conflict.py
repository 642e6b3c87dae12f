"""DG021 cross-location-conflict. Prose and examples: rules/DG021-cross-location-conflict.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import EXECUTABLE_ASSET_KINDS
from asset_lint.findings import Finding, Related
from asset_lint.messages import CrossLocationCycle, CrossLocationDuplicate
from asset_lint.graph import shortest_path, strongly_connected
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG021"


def workspaces(graphs) -> dict:
    """Workspace config file -> the graphs of the code locations it loads together (two or more)."""
    by_file: dict = {}
    for graph in graphs:
        if graph.location.workspace and graph.location.found:
            by_file.setdefault(graph.location.workspace, []).append(graph)
    return {name: members for name, members in by_file.items() if len(members) > 1}


def _executable_keys(graph) -> dict:
    return {key: specs for key, specs in graph.producers.items()
            if any(s.kind in EXECUTABLE_ASSET_KINDS for s in specs)}


def _copies(a: set, b: set) -> bool:
    """One location's keys all reappear in the other: copies of one project (course lessons, versions)."""
    return a <= b or b <= a


def _duplicates(members: list) -> Iterator[Finding]:
    keys = [(graph, _executable_keys(graph)) for graph in members]
    for i, (graph, own) in enumerate(keys):
        for other, theirs in keys[:i] + keys[i + 1:]:
            if not (graph.location.complete and other.location.complete) or _copies(set(own), set(theirs)):
                continue  # unknown keys could make the two copies of one project: not judged
            for key in sorted(set(own) & set(theirs)):
                kinds = {s.kind for s in own[key]} & {s.kind for s in theirs[key]}
                if not kinds:
                    continue  # one observes, the other materializes: Dagster allows that pair
                spec = next(s for s in own[key] if s.kind in kinds)
                there = next(s for s in theirs[key] if s.kind in kinds)
                message = CrossLocationDuplicate(user_string(key), spec.kind, other.location.name, there.site.label())
                yield Finding.of(spec.site, message, identity=user_string(key),
                                 related=(Related(there.site, f"'{user_string(key)}' defined here"),))


def _cycles(members: list) -> Iterator[Finding]:
    # the edges of all members, each listed once in the order first seen (which of equally short
    # paths is found depends on it)
    union: dict = {}       # upstream key -> {downstream key: None}
    parents: dict = {}     # downstream key -> [upstream keys]
    edge_owners: dict = {}
    for graph in members:
        for upstream, downstream in graph.edges():
            if downstream not in union.setdefault(upstream, {}):
                union[upstream][downstream] = None
                parents.setdefault(downstream, []).append(upstream)
            union.setdefault(downstream, {})
            edge_owners.setdefault((upstream, downstream), set()).add(graph.location.name)
    for component in sorted(strongly_connected(union), key=sorted):
        if len(component) < 2:
            continue
        start = min(component)
        cycle = [start, *shortest_path(union, parents, component, next(
            s for s in sorted(union[start]) if s in component), start)]
        owners = [edge_owners[(u, v)] for u, v in zip(cycle, cycle[1:])]
        if set.intersection(*owners):
            continue  # one location holds the whole cycle: DG001 reports it
        locations = sorted(set.union(*owners))
        for index, key in enumerate(cycle[:-1]):
            path = " -> ".join(user_string(k) for k in cycle[index:-1] + cycle[:index + 1])
            for graph in members:
                for spec in graph.producers.get(key, []):
                    if spec.kind in EXECUTABLE_ASSET_KINDS:
                        yield Finding.of(spec.site,
                                         CrossLocationCycle(user_string(key), ', '.join(repr(n) for n in locations),
                                                            path), identity=user_string(key))


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield findings for keys defined twice, and cycles, across the code locations of one workspace."""
    graphs = context.graphs
    for members in workspaces(graphs).values():
        yield from _duplicates(members)
        yield from _cycles(members)
