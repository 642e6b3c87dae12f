"""DG007 ignored-asset-parameter. Prose and examples: rules/DG007-ignored-asset-parameter.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.dagster_api_table import FUNCTION_ASSET_KINDS
from asset_lint.findings import Finding, Site
from asset_lint.messages import IgnoredAssetParameter
from asset_lint.resolve.inputs import ANNOTATION_RESOURCE, ANNOTATION_UNKNOWN, CONTEXT_NAMES
from asset_lint.rules.context import RuleContext

CODE = "DG007"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each keyword-only or positional-only parameter of an asset function (8.21)."""
    for definition in context.project.definitions:
        func = definition.func
        if func is None or definition.kind not in FUNCTION_ASSET_KINDS:
            continue
        for index, param in enumerate(func.facts.params):
            if param.kind not in ("kwonly", "posonly"):
                continue
            if index == 0 and param.name in CONTEXT_NAMES:
                continue  # a positional-only context is still the context
            if param.name == "context":
                continue  # a later `context` fails to import as a reserved input name: DG010 reports it
            if param.has_default:
                continue  # an optional argument: its default serves at run time
            if param.name == "config" or func.annotations[index] in (ANNOTATION_RESOURCE, ANNOTATION_UNKNOWN):
                continue  # R2.1.2-3: Dagster reads config and resources by name and annotation, whatever the kind
            how = "keyword-only (after *)" if param.kind == "kwonly" else "positional-only (before /)"
            yield Finding.of(Site(func.rel, param.pos), IgnoredAssetParameter(param.name, func.facts.name, how),
                             identity=f"{func.facts.name}.{param.name}")
