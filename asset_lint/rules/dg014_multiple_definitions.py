"""DG014 multiple-definitions. Prose and examples: rules/DG014-multiple-definitions.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Related, Site
from asset_lint.messages import MultipleDefinitions
from asset_lint.rules.context import RuleContext

CODE = "DG014"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each extra module-scope Definitions object of a code-location module (8.27)."""
    project = context.project
    for module, found in project.definitions_objects.items():   # code location modules, sorted
        if not found or len(found) < 2:
            continue   # None: a star import or a @definitions function (R5.7) decides; silent when unsure
        found = list(found)
        rel = project.modules[module].rel
        # the object defined here is the one Dagster should load; an imported one is the usual extra
        found.sort(key=lambda item: (item[1].kind == "from", item[1].pos))
        kept_name, kept = found[0]
        names = ", ".join(f"'{name}'" for name, _ in found)
        for name, binding in found[1:]:
            how = ("it is imported by name, which makes it a module attribute too; import its module instead"
                   if binding.kind == "from" else
                   "keep one, building the others inside a function or in one expression")
            yield Finding.of(Site(rel, binding.pos), MultipleDefinitions(name, module, names, how), identity=name,
                             related=(Related(Site(rel, kept.pos), f"'{kept_name}' defined here"),))
