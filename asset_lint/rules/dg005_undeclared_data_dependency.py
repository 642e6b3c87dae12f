"""DG005 undeclared-data-dependency. Prose and examples: rules/DG005-undeclared-data-dependency.md."""
from __future__ import annotations

from collections.abc import Iterator

from asset_lint.findings import Finding, Related
from asset_lint.messages import UndeclaredDataDependency
from asset_lint.graph import reaches
from asset_lint.resolve.ops import job_ops
from asset_lint.resolve.values import Definition, JobDef, OpDef
from asset_lint.rules.context import RuleContext, describe

CODE = "DG005"


def _assets_ordered(graph, writer: Definition, reader: Definition) -> bool:
    for w in writer.specs:
        for r in reader.specs:
            if w.key is not None and r.key is not None and reaches(graph.children, w.key, r.key):
                return True
    return False


def _ops_ordered(graph, writer: OpDef, reader: OpDef) -> bool:
    """False only when some job runs both with no edge path writer -> reader; True when unsure."""
    for job in graph.location.jobs:
        if not isinstance(job, JobDef) or job.dynamic:
            continue
        ops = job_ops(job)
        if not any(o is writer for o in ops) or not any(o is reader for o in ops):
            continue
        if any(isinstance(t, JobDef) for _, t in job.nodes):
            continue  # nested graphs: edges cross graph boundaries asset-lint does not follow
        downstream: dict = {}
        for upstream, node in job.edges:
            downstream.setdefault(upstream, []).append(node)
        writer_nodes = [n for n, t in job.nodes if t is writer]
        reader_nodes = [n for n, t in job.nodes if t is reader]
        if not any(reaches(downstream, w, r) for w in writer_nodes for r in reader_nodes):
            return False
    return True


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding where an op or asset reads what another writes with no declared ordering."""
    for graph in context.graphs:
        owners = context.storage_uses(graph)
        writers: dict = {}
        for owner, uses in owners:
            for use in uses:
                if use.mode == "write":
                    writers.setdefault(use.object, []).append((owner, use))
        for reader, uses in owners:
            for use in uses:
                if use.mode != "read":
                    continue
                for writer, write in writers.get(use.object, []):
                    if writer is reader or type(writer) is not type(reader):
                        continue
                    ordered = _assets_ordered(graph, writer, reader) if isinstance(reader, Definition) \
                        else _ops_ordered(graph, writer, reader)
                    if ordered:
                        continue
                    message = UndeclaredDataDependency(describe(reader), use.label, describe(writer),
                                                       writer.site.label())
                    yield Finding.of(use.site, message, identity=use.object,
                                     related=(Related(write.site, f"{describe(writer)} writes it here"),))
