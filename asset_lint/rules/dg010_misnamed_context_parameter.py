"""DG010 misnamed-context-parameter. Prose and examples: rules/DG010-misnamed-context-parameter.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Site
from asset_lint.messages import LateContextParameter, MisnamedContextParameter
from asset_lint.resolve.inputs import ANNOTATION_CONTEXT, CONTEXT_NAMES
from asset_lint.rules.context import RuleContext, resolved_parameter

CODE = "DG010"
# Spellings of "context" an unannotated first parameter is given; a real upstream asset is rarely so named.
_ABBREVIATIONS = frozenset({"ctx", "_ctx", "ctx_", "c", "cx", "ctxt", "cntx", "cntxt", "self"})
_CONTEXT_HINT = "Dagster takes the first parameter as the context only when it is named context, _context, " \
                "context_ or _ (the annotation does not count)"


def _looks_like_context(name: str) -> bool:
    bare = name.strip("_")
    # a ratio of 0.9 against the 7 letters of "context" needs 6 to 8 letters: skip difflib for the rest
    if name in _ABBREVIATIONS or not 6 <= len(bare) <= 8:
        return name in _ABBREVIATIONS
    import difflib  # here, not on top: most runs never get this far, and every run would pay its import
    return difflib.SequenceMatcher(None, bare, "context").ratio() >= 0.9


def _first_param(graphs, owner, is_asset: bool):
    func = owner.func
    params = func.facts.params
    if not params or params[0].kind != "normal" or params[0].name in CONTEXT_NAMES:
        return None  # a positional-only parameter is no asset input at all: DG007 reports it
    param = params[0]
    site = Site(func.rel, param.pos)
    typed = func.annotations[0] == ANNOTATION_CONTEXT
    if not typed and (not is_asset or param.annotation is not None or not _looks_like_context(param.name)):
        return None  # an op's input is wired in the job body: only a context annotation gives it away
    if is_asset:
        resolved = resolved_parameter(graphs, site)
        if resolved is not None and resolved.missing:
            effect = (f"an input on asset '{param.name}', which nothing produces, so the code location fails to "
                      "load (\"is not produced by any of the provided asset ops\")")
        elif typed and resolved is not None and resolved.key is not None:
            effect = f"an input that silently loads asset '{'/'.join(resolved.key)}' instead of the context"
        elif typed:
            effect = f"an input on asset '{param.name}' instead of the context"
        else:
            return None  # unannotated and not known to break: an upstream asset may really be so named
    else:
        effect = "an op input that nothing can provide (a job using the op fails to load: \"has no way of being " \
                 "resolved\")"
    return Finding.of(site, MisnamedContextParameter(param.name, func.facts.name, _CONTEXT_HINT, effect),
                      identity=f"{func.facts.name}.{param.name}")


def _late_context(owner):
    """`context` after the first parameter is an input whose name Dagster rejects (a reserved name)."""
    func = owner.func
    for param in func.facts.params[1:]:
        if param.name == "context" and param.kind in ("normal", "posonly", "kwonly"):
            return Finding.of(Site(func.rel, param.pos), LateContextParameter(func.facts.name),
                              identity=f"{func.facts.name}.context")
    return None


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding where a context parameter would become an input (8.22)."""
    for owner, is_asset in context.decorated_functions():
        for finding in (_first_param(context.graphs, owner, is_asset), _late_context(owner)):
            if finding is not None:
                yield finding
