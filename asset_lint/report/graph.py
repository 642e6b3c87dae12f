"""`asset-lint graph`: what asset-lint sees of each code location (assets, ops, jobs), as plain data."""
from __future__ import annotations

from asset_lint.resolve import Project
from asset_lint.resolve.keys import user_string
from asset_lint.resolve.ops import job_ops
from asset_lint.resolve.values import AssetJob, JobDef, SpecNode


def _definition_line(spec: SpecNode) -> int:
    """Dagster's line for a definition: the decorated function's first line (its first decorator)."""
    func = getattr(spec.definition, "func", None)
    if func is not None and spec.site == spec.definition.site and func.facts.first_line:
        return func.facts.first_line
    return spec.site.line


def _unknown(gap) -> dict:
    """One gap as the graph JSON shows it: could_be [] is anything; prefix [] is any key."""
    site = gap.site
    return {"file": site.path if site is not None else None, "line": site.line if site is not None else None,
            "reason": gap.reason, "could_be": sorted(gap.could_be), "prefix": list(gap.prefix)}


def graph_payload(project: Project, graphs: list) -> dict:
    """`asset-lint graph --format json`: assets (declared keys only), ops, jobs, code locations."""
    assets, jobs, op_jobs = [], [], {}
    for graph in graphs:
        name = graph.location.name
        deps_of: dict = {}
        for resolved in graph.deps:
            if resolved.key is not None:
                deps_of.setdefault(id(resolved.downstream), set()).add(resolved.key)
        for spec in graph.location.specs:
            if spec.key is None:
                continue
            assets.append({
                "key": user_string(spec.key),
                "deps": sorted(user_string(k) for k in deps_of.get(id(spec), ())),
                "kind": spec.kind, "group": spec.group, "filename": spec.site.path, "line": _definition_line(spec),
                "location": name,
            })
        for job in graph.location.jobs:
            if isinstance(job, JobDef):
                for op in job_ops(job):
                    op_jobs.setdefault(id(op), []).append(job.name)
                jobs.append({"name": job.name, "kind": "op_job" if job.kind == "job" else "graph",
                             "ops": [n for n, _ in job.nodes], "edges": [list(e) for e in job.edges],
                             "filename": job.site.path, "line": job.site.line, "location": name})
            elif isinstance(job, AssetJob):
                jobs.append({"name": job.name, "kind": "asset_job", "ops": [], "edges": [],
                             "filename": job.site.path, "line": job.site.line, "location": name})
    ops = [{"name": op.name, "filename": op.site.path, "line": op.site.line,
            "jobs": sorted(set(op_jobs.get(id(op), [])))} for op in project.ops]
    locations = [{"name": g.location.name, "module": g.location.module, "declared_in": g.location.declared_in,
                  "complete": g.location.complete, "unknowns": [_unknown(gap) for gap in g.location.gaps]}
                 for g in graphs]
    return {"assets": assets, "ops": ops, "jobs": jobs, "locations": locations}
