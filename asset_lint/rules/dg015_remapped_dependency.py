"""DG015 remapped-dependency. Prose and examples: rules/DG015-remapped-dependency.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.messages import RemappedDependency
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG015"


def _spelled_out(key: tuple) -> str:
    return "AssetKey([" + ", ".join(repr(part) for part in key) + "])"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each dependency Dagster silently re-maps by group (R3.2) or table name (R3.3)."""
    graphs = context.graphs
    reported = set()
    for graph in graphs:
        for resolved in graph.deps:
            if not resolved.remapped or resolved.dep.via in ("dbt", "dbt_source"):
                continue  # a dbt manifest's dependencies are not the user's to spell out
            written, actual = resolved.dep.key, resolved.key
            if (resolved.dep.site, written, actual) in reported:
                continue
            reported.add((resolved.dep.site, written, actual))
            if resolved.by_table:
                why = f"the only asset whose dagster/table_name is '{resolved.dep.table_name}'"
            else:
                why = f"the only asset named '{written[-1]}' in group '{resolved.downstream.group}'"
            if resolved.dep.via in ("param", "ins"):
                fix = f"declare the input with AssetIn(key={_spelled_out(actual)})"
            else:
                fix = f"write the full key, {_spelled_out(actual)}"
            yield Finding.of(resolved.dep.site, RemappedDependency(user_string(written), user_string(actual), why, fix),
                             identity=user_string(actual))
