"""DG003 duplicate-asset-key. Prose and examples: rules/DG003-duplicate-asset-key.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import SOURCE, SPEC
from asset_lint.findings import Finding, Related
from asset_lint.messages import DuplicateAssetKey, SharedStorageWriter
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext, describe

CODE = "DG003"


def _distinct(specs: list) -> list:
    """Specs from different objects; identical AssetSpec calls count once (R5.2)."""
    # ids of the kept definitions: a set instead of scanning `kept` per spec (the list holds them alive)
    kept, kept_ids, signatures = [], set(), set()
    for spec in specs:
        d = spec.definition
        if d.kind == SPEC:
            text = d.call_text()
            if text in signatures:
                continue
            signatures.add(text)
        if id(d) in kept_ids:
            continue
        kept_ids.add(id(d))
        kept.append(spec)
    return kept


def _key_duplicates(graph) -> Iterator[Finding]:
    for key, specs in graph.producers.items():
        if len(specs) < 2:
            continue  # one producer is distinct by itself: skip building its signature text
        specs = _distinct(specs)
        if len(specs) < 2:
            continue
        kinds = {s.definition.kind for s in specs}
        if kinds == {SPEC}:
            consequence = "Dagster fails to load it (\"Received conflicting AssetSpecs with the same key\")"
        elif SOURCE in kinds:
            consequence = ("Dagster either fails (\"Duplicate asset key\") or, when the SourceAsset comes last, "
                           "silently replaces the asset with an external one")
        else:
            consequence = "Dagster fails to load the code location (\"Duplicate asset key\")"
        for spec in specs:
            others = [o for o in specs if o is not spec]
            where = ", ".join(o.site.label() for o in others)
            yield Finding.of(spec.site, DuplicateAssetKey(user_string(key), where, consequence),
                             identity=user_string(key),
                             related=tuple(Related(o.site, f"'{user_string(key)}' defined here") for o in others))


def _storage_duplicates(context: RuleContext, graph) -> Iterator[Finding]:
    writers: dict = {}
    for owner, uses in context.storage_uses(graph):
        for use in uses:
            if use.mode == "write":
                writers.setdefault(use.object, {})[id(owner)] = (owner, use)
    for obj, by_owner in writers.items():
        if len(by_owner) < 2:
            continue
        entries = list(by_owner.values())
        for owner, use in entries:
            others = [(o, u) for o, u in entries if o is not owner]
            names = ", ".join(f"{describe(o)} ({o.site.label()})" for o, _ in others)
            yield Finding.of(owner.site, SharedStorageWriter(describe(owner), use.label, names), identity=obj,
                             related=tuple(Related(u.site, f"{describe(o)} writes it here") for o, u in others))


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at every definition of a key defined twice, and every writer of a shared object."""
    for graph in context.graphs:
        yield from _key_duplicates(graph)
        yield from _storage_duplicates(context, graph)
