"""@op, @job and @graph: op outputs and the op-to-op edges of a composition (R7)."""
from __future__ import annotations

from asset_lint.findings import Site
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.values import Call, Definition, DictV, Func, JobDef, OpDef, Unknown, Value, constant_str

# IO managers that keep values in memory only: an op writing there produces nothing long-lived.
TRANSIENT_IO_MANAGERS = frozenset({"mem_io_manager", "in_memory_io_manager"})
IN_MEMORY_IO_MANAGERS = frozenset({"mem_io_manager", "InMemoryIOManager"})  # Dagster's own, by name


def _io_manager_keys(out: Value) -> list:
    outs = []
    if isinstance(out, Call) and out.name == "Out":
        outs = [out]
    elif isinstance(out, DictV):
        outs = [v for _, v in out.items if isinstance(v, Call) and v.name == "Out"]
    keys = []
    for o in outs:
        key = constant_str(o.kwargs.get("io_manager_key"))
        if key and key not in TRANSIENT_IO_MANAGERS:
            keys.append(key)
    return keys


def build_op(ev: Evaluator, decorator: Call, func: Func) -> OpDef:
    """An @op: its name and where its outputs go."""
    kw = decorator.kwargs
    name = constant_str(kw.get("name")) or func.facts.name
    out = kw.get("out")
    return OpDef(name=name, site=Site(func.rel, func.facts.pos), module=func.module, func=func,
                 io_manager_keys=tuple(_io_manager_keys(out)), decorator=decorator)


def _callee(ev: Evaluator, module: str, ir) -> tuple:
    """(definition, alias) for the callee of an invocation; `op.alias("x")()` names the node x."""
    if ir[0] == "call" and ir[2][0] == "attr" and ir[2][3] in ("alias", "with_hooks", "tag", "with_retry_policy"):
        target, _ = _callee(ev, module, ir[2][2])
        alias = None
        if ir[2][3] == "alias" and ir[3]:
            alias = constant_str(ev.eval(module, ir[3][0]))
        return target, alias
    return ev.eval(module, ir), None


def build_job(ev: Evaluator, decorator: Call, func: Func) -> JobDef:
    """A @job or @graph: nodes named like Dagster names them (name, name_2, ...) and data edges (R7.2)."""
    kw = decorator.kwargs
    name = constant_str(kw.get("name")) or func.facts.name
    job = JobDef(kind="job" if decorator.name == "job" else "graph", name=name,
                 site=Site(func.rel, func.facts.pos), module=func.module, dynamic=func.facts.dynamic_body,
                 resources=kw.get("resource_defs"))
    node_of_invocation: dict = {}
    used: dict = {}
    for index, invocation in enumerate(func.facts.invocations):
        target, alias = _callee(ev, func.module, invocation.callee)
        if not isinstance(target, (OpDef, JobDef, Definition)):
            if isinstance(target, Unknown):
                job.dynamic = True
            continue
        base = alias or getattr(target, "name", None) or "node"
        count = used.get(base, 0) + 1
        used[base] = count
        node = base if count == 1 else f"{base}_{count}"
        node_of_invocation[index] = node
        job.nodes.append((node, target))
        for ref in (*invocation.args, *(v for _, v in invocation.kwargs)):
            if ref[0] == "inv" and ref[1] in node_of_invocation:
                job.edges.append((node_of_invocation[ref[1]], node))
    return job


def job_ops(job: JobDef, seen: frozenset = frozenset()) -> list:
    """Every op a job or graph runs, through nested graphs."""
    ops = []
    for _, target in job.nodes:
        if isinstance(target, OpDef):
            ops.append(target)
        elif isinstance(target, JobDef) and id(target) not in seen:
            ops.extend(job_ops(target, seen | {id(job)}))
    return ops
