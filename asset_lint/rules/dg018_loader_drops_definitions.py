"""DG018 loader-drops-definitions. Prose and examples: rules/DG018-loader-drops-definitions.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import CHECK, DECLARED_KINDS
from asset_lint.findings import Finding, Related
from asset_lint.messages import LoaderDropsDefinition
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG018"


def _reached(location) -> set:
    """ids of the checks and definitions that reach the code location (listed directly, another loader)."""
    return {id(check) for check in location.checks} | {id(spec.definition) for spec in location.specs}


def _produced_elsewhere(location, definition) -> bool:
    """R4.2: an AssetSpec that a multi-asset (or an asset) turns into a real asset is meant to be dropped."""
    keys = {spec.key for spec in definition.specs}
    return any(spec.key in keys and spec.definition.kind not in DECLARED_KINDS for spec in location.specs)


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each asset check or AssetSpec a load_assets_from_* call silently skips (8.33)."""
    graphs = context.graphs
    reported = set()
    for graph in graphs:
        location = graph.location
        reached = _reached(location) if any(loaded.dropped for loaded in location.loaders) else set()
        for loaded in location.loaders:
            for definition in loaded.dropped:
                if id(definition) in reported or id(definition) in reached:
                    continue
                if definition.kind == CHECK:
                    if not location.checks_complete:
                        continue  # an asset_checks= entry we cannot evaluate may hold it
                    target = definition.check_target.key if definition.check_target else None
                    what = f"asset check '{definition.name}'" + (f" on '{user_string(target)}'" if target else "")
                    fix = "load it with load_asset_checks_from_modules(...) into Definitions(asset_checks=...)"
                    identity = definition.name
                else:
                    key = definition.specs[0].key if definition.specs else None
                    # a spec keeps its key wherever it is listed: only a gap that could hold that key may list it
                    if key is None or location.may_produce(key) or _produced_elsewhere(location, definition):
                        continue
                    what = f"AssetSpec '{user_string(key)}'"
                    fix = "pass include_specs=True or list the spec in Definitions(assets=...)"
                    identity = user_string(key)
                reported.add(id(definition))
                yield Finding.of(definition.site,
                                 LoaderDropsDefinition(loaded.loader or 'the loader', loaded.site.label(), what,
                                                       location.name, fix), identity=identity,
                                 related=(Related(loaded.site, f"{loaded.loader or 'the loader'} drops it here"),))
