"""DG013 asset-not-in-definitions. Prose and examples: rules/DG013-asset-not-in-definitions.md."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from asset_lint.dagster_api_table import OP_BACKED_KINDS
from asset_lint.findings import Finding
from asset_lint.messages import AssetNotInDefinitions
from asset_lint.rules.context import RuleContext, describe

CODE = "DG013"


def _package(project, location) -> Optional[str]:
    """The package a code location's module belongs to; None for a top-level module (no package)."""
    facts = project.modules.get(location.module)
    if facts is not None and facts.is_package:
        return location.module
    return location.module.rsplit(".", 1)[0] if "." in location.module else None


def _is_test_module(module: str) -> bool:
    return any(part == "tests" or part.startswith(("test_", "conftest")) for part in module.split("."))


def _inside_another_root(project, module: str, package: str) -> bool:
    """Whether a package between the location's and the module's looks like a project root of its own
    (it has a definitions module or a defs package): a lesson, an example, an undeclared code location."""
    parts = module.split(".")
    for depth in range(package.count(".") + 2, len(parts)):
        inner = ".".join(parts[:depth])
        if any(name in project.modules or name in project.packages
               for name in (f"{inner}.definitions", f"{inner}.defs")):
            return True
    return False


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each module-level asset of a code location's package that its Definitions never reach."""
    project, graphs = context.project, context.graphs
    reached = {id(spec.definition) for graph in graphs for spec in graph.location.specs}
    packages = [(package, graph.location) for graph in graphs if graph.location.found and graph.location.module
                for package in [_package(project, graph.location)] if package is not None]
    for definition in project.definitions:  # in file order (the report sorts findings anyway)
        if definition.kind not in OP_BACKED_KINDS or id(definition) in reached or _is_test_module(definition.module):
            continue
        owners = [(package, location) for package, location in packages
                  if definition.module == package or definition.module.startswith(package + ".")]
        if not owners:
            continue
        innermost_package = max((package for package, _ in owners), key=len)
        owners = [location for package, location in owners if package == innermost_package]
        if _inside_another_root(project, definition.module, innermost_package):
            continue
        if not all(location.complete for location in owners):
            continue  # something in these Definitions is unknown: the asset may be among it (R5.1)
        yield Finding.of(definition.site,
                         AssetNotInDefinitions(describe(definition), definition.module, owners[0].name),
                         identity=definition.name)
