"""DG011 misnamed-config-parameter. Prose and examples: rules/DG011-misnamed-config-parameter.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Site
from asset_lint.messages import MisnamedConfigParameter
from asset_lint.resolve.inputs import ANNOTATION_CONFIG, CONTEXT_NAMES
from asset_lint.rules.context import RuleContext, resolved_parameter

CODE = "DG011"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each Config-annotated parameter not named config (8.23)."""
    for owner, is_asset in context.decorated_functions():
        func = owner.func
        for index, param in enumerate(func.facts.params):
            if param.kind != "normal" or param.name == "config":
                continue  # keyword-only and positional-only parameters are DG007's
            if index == 0 and param.name in CONTEXT_NAMES:
                continue
            if func.annotations[index] != ANNOTATION_CONFIG:
                continue
            site = Site(func.rel, param.pos)
            resolved = resolved_parameter(context.graphs, site) if is_asset else None
            if not is_asset:
                effect = "an op input that nothing can provide (a job using the op fails to load: \"has no way " \
                         "of being resolved\")"
            elif resolved is not None and resolved.missing:
                effect = (f"an input on asset '{param.name}', which nothing produces, so the code location fails "
                          "to load (\"is not produced by any of the provided asset ops\")")
            elif resolved is not None and resolved.key is not None:
                effect = f"an input that silently loads asset '{'/'.join(resolved.key)}' instead of the run config"
            else:
                effect = f"an input on asset '{param.name}' instead of the run config"
            yield Finding.of(site, MisnamedConfigParameter(param.name, func.facts.name, effect),
                             identity=f"{func.facts.name}.{param.name}")
