"""DG020 multi-asset-internal-deps-gap. Prose and examples: rules/DG020-multi-asset-internal-deps-gap.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.messages import InternalDepsGap
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG020"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding per @multi_asset output left out of a non-empty internal_asset_deps (R4.1)."""
    project = context.project
    for definition in project.definitions:
        for out_name, lost in definition.internal_deps_gaps:
            keys = [d.key for d in lost]
            if any(key is None or d.uncertain for key, d in zip(keys, lost)):
                continue  # an input we cannot name: what the output loses is unknown
            names = ", ".join(f"'{user_string(k)}'" for k in dict.fromkeys(keys))
            yield Finding.of(definition.site, InternalDepsGap(out_name, definition.name, names), identity=out_name)
