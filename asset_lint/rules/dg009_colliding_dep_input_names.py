"""DG009 colliding-dep-input-names. Prose and examples: rules/DG009-colliding-dep-input-names.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Related
from asset_lint.messages import CollidingDepInputs, DepShadowsParameter
from asset_lint.resolve.inputs import dep_input_name
from asset_lint.resolve.keys import user_string
from asset_lint.rules.context import RuleContext

CODE = "DG009"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each deps= entry whose op input name replaces an earlier input's (8.19b)."""
    project = context.project
    for definition in project.definitions:
        for earlier, later in definition.shadowed_deps:
            name = dep_input_name(later.key)
            dropped, kept = user_string(earlier.key), user_string(later.key)
            if earlier.value_input:
                yield Finding.of(later.site, DepShadowsParameter(kept, name, earlier.input_name),
                                 identity=f"{definition.name}.{name}",
                                 related=(Related(earlier.site, f"parameter '{earlier.input_name}'"),))
                continue
            what = "ins= entry" if earlier.via == "ins" else "deps entry"
            yield Finding.of(earlier.site, CollidingDepInputs(what, dropped, kept, name),
                             identity=f"{definition.name}.{name}",
                             related=(Related(later.site, f"deps entry '{kept}', which Dagster keeps"),))
