"""DG012 duplicate-op-name. Prose and examples: rules/DG012-duplicate-op-name.md."""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from asset_lint.dagster_api_table import OP_BACKED_KINDS
from asset_lint.findings import Finding, Related
from asset_lint.messages import DuplicateOpName
from asset_lint.resolve.ops import job_ops
from asset_lint.resolve.values import Const, JobDef
from asset_lint.rules.context import RuleContext, describe

CODE = "DG012"
ASSET_JOB = "__ASSET_JOB"


class Node(NamedTuple):
    name: str
    owner: object        # the Definition or OpDef
    job: str


def _name_is_certain(owner) -> bool:
    """False when a decorator's name= is not a constant: the op name we hold is only the function's."""
    decorator = getattr(owner, "decorator", None)
    if decorator is not None and "name" in decorator.kwargs:
        given = decorator.kwargs["name"]
        return isinstance(given, Const) and (given.value is None or isinstance(given.value, str))
    func = getattr(owner, "func", None)
    if func is None:
        return False
    return not any(keyword.name == "name" and not keyword.constant for keyword in func.decorator_keywords())


def _nodes(location) -> list:
    """Every op definition the location's jobs run, with the job it runs in (asset ops: the asset job).

    Names that may not be the op's (_name_is_certain) are still here: check() drops them only where a
    name is shared, as checking every node is most of this rule's time on large projects.
    """
    nodes, seen = [], set()
    for spec in location.specs:
        owner = spec.definition
        if owner.kind not in OP_BACKED_KINDS or id(owner) in seen:
            continue
        seen.add(id(owner))
        if spec.op_name:
            nodes.append(Node(spec.op_name, owner, ASSET_JOB))
        if owner.composition is not None:  # a graph asset's ops are nodes of the asset job too
            nodes.extend(Node(op.name, op, ASSET_JOB) for op in job_ops(owner.composition))
    for job in location.jobs:
        if isinstance(job, JobDef):
            nodes.extend(Node(op.name, op, job.name) for op in job_ops(job))
    return nodes


def _same_keys(location, nodes: list) -> bool:
    """Whether the colliding definitions are all assets producing one and the same set of keys."""
    keys = [frozenset(s.key for s in location.specs if s.definition is n.owner) for n in nodes]
    return all(k and k == keys[0] for k in keys) and all(n.job == ASSET_JOB for n in nodes)


def _label(node: Node) -> str:
    return f"{describe(node.owner)} ({node.owner.site.label()})"


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding at each definition whose op name another definition in its code location also has."""
    reported = set()
    for graph in context.graphs:
        by_name: dict = {}
        for node in _nodes(graph.location):
            by_name.setdefault(node.name, []).append(node)
        for name, candidates in by_name.items():   # in node order (the report sorts findings anyway)
            if len(candidates) < 2:
                continue  # a name held once cannot collide
            by_site: dict = {}
            for node in candidates:
                # one definition seen twice (imported, re-listed) is one op; its site is its identity
                if _name_is_certain(node.owner):
                    by_site.setdefault(node.owner.site, []).append(node)
            if len(by_site) < 2:
                continue
            firsts = [nodes[0] for nodes in by_site.values()]
            if _same_keys(graph.location, firsts):
                continue  # one key defined twice: DG003 reports the duplicate key Dagster names first
            for node in firsts:
                if (node.owner.site, name) in reported:
                    continue  # one module declared as two code locations: say it once
                reported.add((node.owner.site, name))
                others = [o for o in firsts if o.owner.site != node.owner.site]
                shared_job = any(j.job == n.job for n in by_site[node.owner.site]
                                 for o in others for j in by_site[o.owner.site])
                error = ("\"Detected conflicting node definitions with the same name\"" if shared_job
                         else f"\"Conflicting definitions found in repository with name '{name}'\"")
                yield Finding.of(node.owner.site,
                                 DuplicateOpName(describe(node.owner), name, ", ".join(_label(o) for o in others),
                                                 error), identity=name,
                                 related=tuple(Related(o.owner.site, f"op name '{name}' here") for o in others))
