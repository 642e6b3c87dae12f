"""DG002 missing-upstream-asset. Prose and examples: rules/DG002-missing-upstream-asset.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.messages import MissingCheckTarget, MissingUpstreamAsset
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG002"


def _workspace_members(graphs) -> dict:
    """Per workspace file, the graphs of the code locations it loads together."""
    members: dict = {}
    for graph in graphs:
        if graph.location.workspace:
            members.setdefault(graph.location.workspace, []).append(graph)
    return members


def _reachable(graph, graphs, workspaces) -> list:
    """The code locations a deps= entry of `graph` may link to (itself included).

    A workspace file names them. A location that no workspace file in the project lists may be
    served, by a deployment's own workspace.yaml, together with any other such location that
    shares none of its keys (locations repeating each other's assets are copies, like a course's
    chapters, never loaded side by side).
    """
    if graph.location.workspace:
        return workspaces.get(graph.location.workspace, [])
    own = set(graph.producers)
    return [other for other in graphs if other is graph or (
        not other.location.workspace and not own & set(other.producers))]


def _hint(graph, key: tuple, neighbours: list) -> str:
    """Dagster's "did you mean" (Appendix A) within the location, else within the rest of its workspace."""
    hints = graph.closest_keys(key)
    if hints:
        if user_string(hints[0]) == user_string(key):  # ['a/b'] against ['a', 'b']: show the components
            return f"; did you mean AssetKey({list(hints[0])!r}) rather than AssetKey({list(key)!r})?"
        return f"; did you mean '{user_string(hints[0])}'?"
    for other in neighbours:
        if other is not graph and key in other.producers:
            return (f"; '{user_string(key)}' lives in code location '{other.location.name}', and only deps= "
                    "can reach across code locations")
    for other in neighbours:
        hints = other.closest_keys(key) if other is not graph else []
        if hints:
            return f"; did you mean '{user_string(hints[0])}' (code location '{other.location.name}')?"
    return ""


def _missing_check_deps(graph) -> Iterator:
    """R3.6 / 8.14: a check's additional_deps / additional_ins on a key nothing produces (no stub, no error)."""
    for check_def in graph.location.checks:
        for dep in check_def.extra_deps:
            if dep.key is not None and dep.key not in graph.producers:
                yield dep


def _may_produce(locations: list, key: tuple) -> bool:
    return any(location.may_produce(key) for location in locations)


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each reference to a key that nothing in its code location produces."""
    graphs, settings = context.graphs, context.settings
    workspaces = _workspace_members(graphs)
    for graph in graphs:
        location = graph.location
        neighbours = _reachable(graph, graphs, workspaces)
        elsewhere = {key for other in neighbours for key in other.producers}
        # a location asset-lint cannot read fully may produce a key a deps= entry links to
        partial_elsewhere = [other.location for other in neighbours if other is not graph and other.location.gaps]
        dropped = {spec.key for loaded in graph.location.loaders for definition in loaded.dropped
                   for spec in definition.specs}   # DG018 reports the AssetSpec a loader skipped
        reported = set()
        for resolved in graph.deps:
            if not resolved.missing or resolved.dep.via in ("dbt_source", "deps_string"):
                continue  # dbt sources live outside the project by design; DG006 reports string deps
            if len(resolved.key) == 1 and "/" in resolved.key[0] and not resolved.dep.value_input:
                continue  # one component holding '/': DG008 reports the misspelt key itself
            if location.may_produce(resolved.key):
                continue  # something here asset-lint cannot evaluate could be that asset: not a guess
            name = user_string(resolved.key)
            # a value input is resolved within its own location: it fails to load whatever the others hold
            if settings.is_external(name) or (
                    (resolved.key in elsewhere or _may_produce(partial_elsewhere, resolved.key))
                    and not resolved.dep.value_input) or (
                    resolved.key in dropped and not resolved.dep.value_input):
                continue
            if (resolved.dep.site, resolved.key) in reported:
                continue
            reported.add((resolved.dep.site, resolved.key))
            if resolved.dep.value_input:
                consequence = ("Dagster fails to load the code location "
                               "(\"is not produced by any of the provided asset ops\")")
            else:
                consequence = "Dagster would silently create an external stub for it"
            hint = _hint(graph, resolved.key, neighbours)
            yield Finding.of(resolved.dep.site, MissingUpstreamAsset(graph.location.name, name, consequence, hint),
                             identity=name)
        check_refs = [(dep.site, dep.key, "depends on", "Dagster silently accepts the dependency without "
                       "creating any asset for it") for dep in _missing_check_deps(graph)]
        check_refs += [(target.site, target.key, "targets", "Dagster would silently create an external stub and "
                        "run the check against it") for target in graph.missing_check_targets]
        for site, key, verb, consequence in check_refs:
            name = user_string(key)
            if settings.is_external(name) or key in elsewhere or location.may_produce(key) \
                    or _may_produce(partial_elsewhere, key):
                continue
            yield Finding.of(site, MissingCheckTarget(verb, name, graph.location.name, consequence,
                                                      _hint(graph, key, neighbours)), identity=name)
