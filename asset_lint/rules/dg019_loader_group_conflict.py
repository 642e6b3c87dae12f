"""DG019 loader-group-conflict. Prose and examples: rules/DG019-loader-group-conflict.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import DECLARED_KINDS, SOURCE
from asset_lint.findings import Finding, Related
from asset_lint.messages import LoaderGroupConflict
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG019"
DEFAULT_GROUP = "default"


def _dagster_error(definition, key: str, own: str, given: str) -> str:
    """Dagster's own words for the conflict (object_list.py / source_asset.py)."""
    if definition.kind == SOURCE:
        return (f"Attempted to override group name to {given} for SourceAsset {key}, "
                f"which already has group name {own}.")
    return (f"Asset spec {key} has group name {own}, which conflicts with the group name {given} "
            f"provided in load_assets_from_modules.")


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at a loader's call for each loaded asset whose own group differs from group_name= (8.34)."""
    graphs = context.graphs
    reported = set()
    for graph in graphs:
        for loaded in graph.location.loaders:
            given = loaded.group_name
            if not given:
                continue  # no group_name= (""), or one we cannot evaluate (None)
            prefix = loaded.key_prefix or ()
            for definition in loaded.definitions:
                for spec in definition.specs:
                    own = spec.group
                    if spec.key is None or own in (None, DEFAULT_GROUP, given):
                        continue
                    prefixed = definition.kind not in DECLARED_KINDS
                    key = user_string(prefix + spec.key if prefixed else spec.key)
                    if (loaded.site, key) in reported:
                        continue
                    reported.add((loaded.site, key))
                    error = _dagster_error(definition, key, own, given)
                    yield Finding.of(loaded.site, LoaderGroupConflict(loaded.loader, given, key, own, error),
                                     identity=key,
                                     related=(Related(spec.site, f"'{key}' sets group_name='{own}' here"),))
