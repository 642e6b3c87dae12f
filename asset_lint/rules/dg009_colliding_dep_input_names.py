"""DG009 colliding-dep-input-names. Prose and examples: rules/DG009-colliding-dep-input-names.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Related
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
                yield Finding.at(later.site, CODE,
                                 f"deps entry '{kept}' becomes the op input \"{name}\", the name of parameter "
                                 f"'{earlier.input_name}': Dagster would fail to import the module (\"decorated "
                                 f"function has parameter '{earlier.input_name}' that is one of the input_defs of "
                                 "type 'Nothing'\"); give the dependency another input name with "
                                 "ins={...: AssetIn(key=..., dagster_type=Nothing)}",
                                 identity=f"{definition.name}.{name}",
                                 related=(Related(earlier.site, f"parameter '{earlier.input_name}'"),))
                continue
            what = "ins= entry" if earlier.via == "ins" else "deps entry"
            yield Finding.at(earlier.site, CODE,
                             f"{what} '{dropped}' and the later deps entry '{kept}' both become the op input "
                             f"\"{name}\": Dagster silently keeps only '{kept}' and drops the dependency on "
                             f"'{dropped}'; give one of them another input name with "
                             "ins={...: AssetIn(key=..., dagster_type=Nothing)}",
                             identity=f"{definition.name}.{name}",
                             related=(Related(later.site, f"deps entry '{kept}', which Dagster keeps"),))
