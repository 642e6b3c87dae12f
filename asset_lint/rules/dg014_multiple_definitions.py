"""DG014 multiple-definitions. Prose and examples: rules/DG014-multiple-definitions.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Related, Site
from asset_lint.resolve.values import DefinitionsV, Unknown

CODE = "DG014"


def _origin(ev, module: str, name: str, depth: int = 0):
    """The binding a module-level name finally comes from, following `from x import y` chains."""
    facts = ev.facts_of(module)
    binding = facts.bindings.get(name) if facts is not None else None
    if binding is not None and binding.kind == "from" and depth < 10:
        source_module, source_name = binding.value
        if ev.facts_of(source_module) is not None:
            return _origin(ev, source_module, source_name, depth + 1)
    return binding


def _definitions_objects(ev, module: str):
    """(name, binding) of every module-scope Definitions object; None when a @definitions function wins."""
    facts = ev.facts_of(module)
    if facts is None or facts.syntax_error or facts.star_imports:
        return None  # a star import may bring more (or a @definitions function): silent when unsure
    found = []
    for name, binding in sorted(facts.bindings.items(), key=lambda item: item[1].pos):
        if binding.kind not in ("expr", "func", "from", "unpack"):
            continue
        value = ev.lookup(module, name)
        origin = _origin(ev, module, name)
        if origin is not None and origin.kind == "func" and origin.value.decorators \
                and isinstance(value, (DefinitionsV, Unknown)):
            return None  # R5.7: a @definitions function takes precedence over Definitions objects
        if isinstance(value, DefinitionsV):
            found.append((name, binding))
    return found


def check(project, graphs, settings) -> Iterator[Finding]:
    """Yield a finding at each extra module-scope Definitions object of a code-location module (8.27)."""
    ev = project.evaluator
    for module in sorted({g.location.module for g in graphs if g.location.found and g.location.module}):
        found = _definitions_objects(ev, module)
        if not found or len(found) < 2:
            continue
        rel = ev.facts_of(module).rel
        # the object defined here is the one Dagster should load; an imported one is the usual extra
        found.sort(key=lambda item: (item[1].kind == "from", item[1].pos))
        kept_name, kept = found[0]
        names = ", ".join(f"'{name}'" for name, _ in found)
        for name, binding in found[1:]:
            how = ("it is imported by name, which makes it a module attribute too; import its module instead"
                   if binding.kind == "from" else
                   "keep one, building the others inside a function or in one expression")
            yield Finding.at(Site(rel, binding.pos), CODE,
                             f"'{name}' is another Definitions object at module scope of '{module}' ({names}); "
                             "Dagster refuses to load the code location (\"Cannot have more than one Definitions "
                             f"object defined at module scope\"): {how}",
                             identity=name, related=(Related(Site(rel, kept.pos), f"'{kept_name}' defined here"),))
