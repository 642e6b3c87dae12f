"""DG002 missing-upstream-asset. Prose and examples: rules/DG002-missing-upstream-asset.md."""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from asset_lint.findings import Finding
from asset_lint.resolve.keys import user_string

CODE = "DG002"


def check(project, graphs, settings) -> Iterator[Finding]:
    """Yield a finding at each reference to a key that nothing in its code location produces."""
    external = tuple(settings.external_assets)
    for graph in graphs:
        if not graph.location.complete:
            continue  # something in this location has keys we cannot know: the key may be among them
        reported = set()
        for resolved in graph.deps:
            if not resolved.missing or resolved.dep.via in ("dbt_source", "deps_string"):
                continue  # dbt sources live outside the project by design; DG006 reports string deps
            name = user_string(resolved.key)
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in external):
                continue
            if (resolved.dep.site, resolved.key) in reported:
                continue
            reported.add((resolved.dep.site, resolved.key))
            if resolved.dep.value_input:
                consequence = "Dagster fails to load the code location (\"is not produced by any of the provided asset ops\")"
            else:
                consequence = "Dagster would silently create an external stub for it"
            hints = graph.closest_keys(resolved.key)
            hint = f"; did you mean '{user_string(hints[0])}'?" if hints else ""
            yield Finding.at(resolved.dep.site, CODE,
                             f"nothing in code location '{graph.location.name}' produces asset '{name}'; "
                             f"{consequence}{hint}", identity=name)
        for target in graph.missing_check_targets:
            name = user_string(target.key)
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in external):
                continue
            hints = graph.closest_keys(target.key)
            hint = f"; did you mean '{user_string(hints[0])}'?" if hints else ""
            yield Finding.at(target.site, CODE, f"asset check targets '{name}', which nothing in code location "
                             f"'{graph.location.name}' produces; Dagster would silently create an external stub "
                             f"and run the check against it{hint}", identity=name)
