"""DG006 string-deps. Prose and examples: rules/DG006-string-deps.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.messages import StringDeps
from asset_lint.rules.context import RuleContext

CODE = "DG006"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield one finding per deps= given as a string instead of a list (semantics 8.18)."""
    graphs = context.graphs
    by_site: dict = {}
    for graph in graphs:
        for resolved in graph.deps:
            if resolved.dep.via == "deps_string":
                by_site.setdefault(resolved.dep.site, []).append(resolved.dep.key[0])
    for site, chars in sorted(by_site.items()):
        chars = list(dict.fromkeys(chars))
        stubs = ", ".join(f"'{c}'" for c in chars)
        yield Finding.of(site, StringDeps(stubs), identity="".join(chars))
