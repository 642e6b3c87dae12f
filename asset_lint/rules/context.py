"""What every rule is given (the finished project, its graphs, the settings), and the questions
several rules ask of them, answered once per run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from asset_lint.dagster_api_table import PARAMETER_KINDS
from asset_lint.config import Settings
from asset_lint.graph import AssetGraph, ResolvedDep
from asset_lint.resolve import Project
from asset_lint.resolve.finish import storage_owners as location_storage_owners
from asset_lint.resolve.values import OpDef


@dataclass
class RuleContext:
    """The argument of every rule's check(context): read-only, shared by all rules of one run."""

    project: Project
    graphs: list                  # one AssetGraph per code location, in location order
    settings: Settings
    _answers: dict = field(default_factory=dict, repr=False)   # what several rules ask, computed once

    def decorated_functions(self) -> list:
        """(owner, is_asset) for each @asset / @multi_asset and each @op with a function: whose parameters
        Dagster reads as context, config, resources and inputs."""
        found = self._answers.get("decorated_functions")   # DG010 and DG011 both ask
        if found is None:
            project = self.project
            found = self._answers["decorated_functions"] = \
                [(d, True) for d in project.definitions if d.func is not None and d.kind in PARAMETER_KINDS] \
                + [(op, False) for op in project.ops if op.func is not None]
        return found

    def storage_uses(self, graph: AssetGraph) -> list:
        """(owner, its storage reads and writes) for each of storage_owners(graph) that has any."""
        key = ("storage_uses", id(graph))
        found = self._answers.get(key)   # DG003 and DG005 both ask
        if found is None:
            found = self._answers[key] = [(owner, owner.func.storage) for owner in storage_owners(graph)
                                          if owner.func is not None and owner.func.storage]
        return found


def resolved_parameter(graphs: list, site) -> Optional[ResolvedDep]:
    """What an asset function's parameter became as an input, in the first complete code location; None if unknown."""
    for graph in graphs:
        resolved = graph.resolved_at(site, "param") if graph.location.complete else None
        if resolved is not None:
            return resolved
    return None


def storage_owners(graph: AssetGraph) -> list:
    """The assets (definitions) and ops of one code location whose bodies may touch storage."""
    return location_storage_owners(graph.location)


def describe(owner) -> str:
    """`op 'name'` or `asset 'key'`, as messages name things."""
    if isinstance(owner, OpDef):
        return f"op '{owner.name}'"
    keys = [s.key for s in owner.specs if s.key]
    return f"asset '{'/'.join(keys[0])}'" if len(keys) == 1 else f"{owner.kind} '{owner.name}'"
