"""What each Dagster API call and decorator means, statically (semantics sections 1, 2, 4, 5, 7)."""
from __future__ import annotations

from typing import Optional

from asset_lint.dagster_api_table import (
    ASSET_DECORATORS, CHECK, DBT, DECORATOR_KINDS, DEFINITIONS_DECORATORS, EXTERNAL_ASSET, GRAPH_ASSET,
    GRAPH_MULTI_ASSET, KEY_PRESERVING_METHODS, MATERIALIZABLE_ASSET, OBSERVABLE, OBSERVABLE_ASSET, OP_DECORATORS,
    OTHER_DECORATORS, PASS_THROUGH, SINGLE_KEY_KINDS, SOURCE, SPEC, TRIGGER_CONSTRUCTORS, TRIGGER_DECORATORS,
    UNFOLLOWED, DefinitionKind,
)
from asset_lint.findings import Site
from asset_lint.resolve.builtins import call_builtin, call_method as call_builtin_method
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.gaps import (
    ANYTHING, JOBS, OPS, RESOURCES, could_be_by_name, known_prefix,
)
from asset_lint.resolve.inputs import deps_list, input_deps, param_keys
from asset_lint.resolve.keys import (
    coerce_key, coerce_prefix, group_of, key_from_user_string, op_name_of, table_name_of,
)
from asset_lint.resolve.operators import from_environment
from asset_lint.resolve.values import (
    AssetJob, Call, Cls, Const, Dagster, Definition, DefinitionsV, Dep, DictV, External, Func, Instance, JobDef, KeyV,
    Loaded, Method, OpDef, Opaque, Seq, SpecNode, TriggerDef, Unknown, Value, constant_str,
)


class DagsterApi:
    """Interprets calls and decorators for the Evaluator; builds Definition/OpDef/JobDef values."""

    def __init__(self, extra_decorators: Optional[dict] = None) -> None:
        self.extra_decorators = dict(extra_decorators or {})   # dotted user name -> Dagster decorator name
        self.loaders = None   # set by locations.py: expands module loaders
        self.data_files: list = []  # non-Python files read (dbt manifests): they key the run cache too
        # the modules whose values call with_resources(...): resources bound outside Definitions
        self.resource_binders: set = set()

    @property
    def binds_resources_elsewhere(self) -> bool:
        return bool(self.resource_binders)

    # decorators ----------------------------------------------------------------------------
    def apply_decorators(self, ev: Evaluator, module: str, func: Func, site: Site) -> Value:
        value: Value = func
        for decorator_ir in reversed(func.facts.decorators):
            decorator = ev.eval(module, decorator_ir)
            value = self.apply(ev, module, decorator, value, decorator_ir)
        return value

    def _extra(self, decorator: Value) -> Optional[str]:
        if isinstance(decorator, External):
            return self.extra_decorators.get(decorator.qualname)
        if isinstance(decorator, Func):
            return self.extra_decorators.get(f"{decorator.module}.{decorator.facts.name}") or \
                self.extra_decorators.get(decorator.facts.name)
        return None

    def apply(self, ev: Evaluator, module: str, decorator: Value, target: Value, decorator_ir) -> Value:
        extra = self._extra(decorator)
        if extra:
            decorator = Dagster(extra)
        if isinstance(decorator, Dagster):
            decorator = Call(decorator.name, (), {}, Site(ev.modules[module].rel, decorator_ir[1]), module, None)
        if isinstance(decorator, Call) and isinstance(target, Func):
            name = decorator.name
            if name in ASSET_DECORATORS:
                return self.build_asset(ev, decorator, target)
            if name in OP_DECORATORS:
                return self.build_op(ev, decorator, target)
            if name in DEFINITIONS_DECORATORS:
                built = self.call_user_function(ev, target, lenient=True)
                if name == "repository" and isinstance(built, Seq):
                    return _repository(built, Site(target.rel, target.facts.pos), module)
                # a body that is more than `return ...`: Dagster calls it and gets definitions we cannot see
                return Unknown(f"@{name} function {target.facts.name}") if isinstance(built, Opaque) else built
            if name in TRIGGER_DECORATORS:
                return build_trigger(name, decorator, target.facts.name, Site(target.rel, target.facts.pos))
            if name in OTHER_DECORATORS or name.startswith("<"):
                return Opaque(name)
            return Opaque(name) if not name[:1].isupper() else Unknown(f"decorator {name}")
        if isinstance(target, Func) and isinstance(decorator, (External, Opaque)):
            if isinstance(decorator, External) and decorator.qualname.split(".")[0].startswith("dagster"):
                return Unknown(f"decorator {decorator.qualname}")  # an integration's asset decorator
            return Opaque("decorated function")
        if isinstance(target, Func) and isinstance(decorator, Func) and not decorator.facts.decorators \
                and decorator.facts.returns is None and not decorator.facts.invocations:
            return Unknown("user decorator")
        return Unknown("decorator")

    # calls ---------------------------------------------------------------------------------
    def call(self, ev: Evaluator, module: str, func: Value, args: tuple, kwargs: dict, site: Site, expr) -> Value:
        extra = self._extra(func)
        if extra and not (args and isinstance(args[0], Func)):
            return Call(extra, args, kwargs, site, module, expr)  # @company_asset(...): a configured wrapper
        if isinstance(func, Dagster):
            return self.call_dagster(ev, module, func.name, args, kwargs, site, expr)
        if isinstance(func, Call):
            if func.name.startswith("method:"):
                return self.call_method(ev.owner(module), func, args, kwargs)
            if args and isinstance(args[0], Func) and not kwargs:
                return self.apply(ev, module, func, args[0], expr)
            return Unknown("call of a call")
        if isinstance(func, Func):
            return self.call_user_function(ev, func, args, kwargs)
        if isinstance(func, Method):
            return self.call_user_function(ev, func.func, (func.receiver,) + args, kwargs)
        if isinstance(func, Cls):
            return ev.interpreter.instantiate(func, args, kwargs, ev.modules[func.module].rel)
        if isinstance(func, External):
            return self.call_external(ev.owner(module), func.qualname, args, kwargs)
        if isinstance(func, (Definition, OpDef)):
            return Opaque("direct invocation")
        return func if isinstance(func, Unknown) else Unknown("call")

    def call_external(self, owner: str, qualname: str, args: tuple, kwargs: Optional[dict] = None) -> Value:
        """A call into another library: a definition only when it comes from a Dagster integration; Python's
        builtins over known values; never a read of the environment."""
        environment = from_environment(qualname)
        if environment is not None:
            return environment
        if qualname.startswith(("builtins.", "itertools.")):
            built = call_builtin(qualname, args, kwargs or {})
            if built is not None:
                return built
        last = qualname.rsplit(".", 1)[-1]
        if last == "with_resources":
            self.resource_binders.add(owner)
        if last in PASS_THROUGH and args:
            return args[0]
        if qualname.split(".")[0].startswith("dagster"):
            lowered = last.lower()
            if ("asset" in lowered or "spec" in lowered or "definitions" in lowered
                    or lowered.startswith(("build_", "load_"))):
                # an integration that makes assets (sling, dlt, ...), or checks (build_*_checks)
                return Unknown(f"call of {qualname}", could_be_by_name(last))
            return Opaque(qualname) if last[:1].isupper() else Unknown(f"call of {qualname}", could_be_by_name(last))
        if qualname in ("builtins.list", "builtins.tuple") and len(args) == 1 and isinstance(args[0], Seq):
            return args[0]
        if qualname in ("os.path.join", "posixpath.join") and args and all(constant_str(a) is not None for a in args):
            return Const("/".join(constant_str(a).rstrip("/") for a in args))
        if qualname in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath") and len(args) == 1 \
                and constant_str(args[0]) is not None:
            return args[0]  # a path is its text; `__file__` is relative to the project root
        if qualname in ("os.path.dirname",) and len(args) == 1 and constant_str(args[0]) is not None:
            import posixpath
            return Const(posixpath.dirname(constant_str(args[0])))
        return Opaque(qualname)

    def call_user_function(self, ev: Evaluator, func: Func, args: tuple = (), kwargs: Optional[dict] = None,
                           lenient: bool = False) -> Value:
        """What a call of a project function returns: its body interpreted with the arguments bound."""
        return ev.interpreter.call_function(func, args, kwargs or {}, lenient)

    def call_method(self, owner: str, method: Call, args: tuple, kwargs: dict) -> Value:
        base = method.args[0]
        attr = method.name[len("method:"):]
        if isinstance(base, (Const, Seq, DictV)):
            known = call_builtin_method(base, attr, args, kwargs)
            if known is not None:
                return known
        if isinstance(base, OpDef) and attr == "configured":
            name = constant_str(kwargs.get("name", args[1] if len(args) > 1 else None))
            return OpDef(name or base.name, base.site, base.module, base.func, base.io_manager_keys,
                         base.decorator, base.requirements)
        if isinstance(base, Definition) and attr in KEY_PRESERVING_METHODS and "key" not in kwargs:
            if attr == "with_resources":
                self.resource_binders.add(owner)
            return base
        if isinstance(base, KeyV) and attr == "with_prefix" and args:
            prefix = coerce_prefix(args[0])
            return KeyV(prefix + base.path) if prefix is not None else Unknown("prefix")
        if isinstance(base, DefinitionsV) and attr in ("with_resources",):
            return base
        path = constant_str(base)
        if path is not None and attr in ("resolve", "absolute", "expanduser"):
            return base  # paths stay relative to the project root
        if path is not None and attr == "joinpath" and all(constant_str(a) is not None for a in args):
            import posixpath
            return Const(posixpath.normpath(posixpath.join(path, *(constant_str(a) for a in args))))
        # `.configured(...)` of an op, a graph or a resource is one of those, never an asset
        return Unknown(f"method {attr}", frozenset({OPS, JOBS, RESOURCES}) if attr == "configured" else ANYTHING)

    def attribute_of(self, ev: Evaluator, base: Value, attr: str) -> Value:
        if isinstance(base, Definition):
            if attr == "key" and base.complete and len(base.specs) == 1 and base.specs[0].key is not None:
                return KeyV(base.specs[0].key)
            if attr == "keys" and base.complete and all(s.key is not None for s in base.specs):
                return Seq(tuple(KeyV(s.key) for s in base.specs))
        if isinstance(base, KeyV) and attr == "path":
            return Seq(tuple(Const(p) for p in base.path))
        if isinstance(base, (Instance, Cls)):
            return ev.interpreter.attribute(base, attr)
        if isinstance(base, DefinitionsV) and attr in _DEFINITIONS_LISTS:
            return _definitions_list(base, _DEFINITIONS_LISTS[attr])
        if isinstance(base, (Definition, KeyV, DefinitionsV, OpDef, AssetJob, Seq, DictV)) \
                or constant_str(base) is not None:
            return Call("method:" + attr, (base,), {}, base.site if hasattr(base, "site") else None, "", None)
        return Unknown(f"attribute {attr}")

    def call_dagster(self, ev: Evaluator, module: str, name: str, args: tuple, kwargs: dict, site: Site, expr) -> Value:
        call = Call(name, args, kwargs, site, module, expr)
        if name in ("AssetKey", "AssetKey.from_coercible"):
            key = coerce_key(call.arg(0, "path"))
            return KeyV(key) if key else Unknown("AssetKey", ANYTHING, known_prefix(call.arg(0, "path")))
        if name == "AssetKey.from_user_string":
            text = constant_str(call.arg(0, "asset_key_string"))
            return KeyV(key_from_user_string(text)) if text is not None else Unknown("AssetKey")
        if name == "AssetSpec":
            return self.build_spec(ev, call, SPEC)
        if name == "SourceAsset":
            return self.build_spec(ev, call, SOURCE)
        if name == "Definitions":
            return DefinitionsV(site, module, **{f: call.kwargs.get(f) for f in
                                                 ("assets", "jobs", "schedules", "sensors", "resources")},
                                checks=call.kwargs.get("asset_checks"))
        if name == "Definitions.merge":
            return DefinitionsV(site, module, parts=args)
        if name == "define_asset_job":
            job_name = constant_str(call.arg(0, "name"))
            return AssetJob(job_name, site, call.arg(1, "selection"))
        if self.loaders is not None and self.loaders.handles(name):
            return self.loaders.call(ev, call)
        if name in TRIGGER_CONSTRUCTORS:
            return build_trigger(TRIGGER_CONSTRUCTORS[name], call, None, site)
        if name in PASS_THROUGH:
            if name == "with_resources":
                self.resource_binders.add(ev.owner(module))
            given = call.arg(0, "assets_defs")
            return given if given is not None else Unknown(name)
        if name in UNFOLLOWED:
            return Unknown(name, could_be_by_name(name))
        return call

    # AssetSpec / SourceAsset ----------------------------------------------------------------
    def build_spec(self, ev: Evaluator, call: Call, kind: DefinitionKind) -> Definition:
        key = coerce_key(call.arg(0, "key"))
        definition = Definition(kind=kind, name=str(key), site=call.site, module=call.module,
                                signature=call.expr)
        deps = deps_list(ev, call, "deps", value_input=False, via="spec_deps") if kind == SPEC else []
        group = group_of(call.kwargs.get("group_name"))
        definition.specs = [SpecNode(key, group, EXTERNAL_ASSET, deps, definition, call.site,
                                     table_name=table_name_of(call.kwargs.get("metadata")))]
        definition.complete = key is not None
        return definition

    # @asset family --------------------------------------------------------------------------
    def build_asset(self, ev: Evaluator, decorator: Call, func: Func) -> Value:
        facts = func.facts
        kind = DECORATOR_KINDS[decorator.name]
        site = Site(func.rel, facts.pos)
        definition = Definition(kind=kind, name=facts.name, site=site, module=func.module, func=func,
                                decorator=decorator)
        kw = decorator.kwargs
        if kind == CHECK:
            target = self._target_dep(ev, decorator, site)
            definition.check_target = target
            definition.extra_deps = deps_list(ev, decorator, "additional_deps", False, "check_deps") \
                + self._check_ins(decorator, site)
            return definition
        if kind == DBT:
            from asset_lint.resolve.dbt import build_dbt_assets
            return build_dbt_assets(ev, self, decorator, func, definition)
        if kind in SINGLE_KEY_KINDS:
            key = self._single_key(kw, facts.name)
            group = group_of(kw.get("group_name"))
            spec_kind = OBSERVABLE_ASSET if kind == OBSERVABLE else MATERIALIZABLE_ASSET
            deps = [] if kind == OBSERVABLE else input_deps(ev, decorator, func, definition.shadowed_deps)
            op_name = op_name_of(key) if key else None
            definition.specs = [SpecNode(key, group, spec_kind, deps, definition, site, op_name,
                                         table_name=table_name_of(kw.get("metadata")))]
            definition.complete = key is not None
            if kind == GRAPH_ASSET:
                definition.composition = self.build_op(ev, Call("graph", (), {}, site, func.module, None), func)
            return definition
        return self.build_multi(ev, decorator, func, definition)

    def _single_key(self, kw: dict, fn_name: str) -> Optional[tuple]:
        if "key" in kw and not (isinstance(kw["key"], Const) and kw["key"].value is None):
            return coerce_key(kw["key"])
        name = constant_str(kw["name"]) if "name" in kw and not _is_none(kw["name"]) else fn_name
        name = fn_name if name == "" else name  # Dagster takes `name or fn.__name__`
        prefix = coerce_prefix(kw.get("key_prefix"))
        if name is None or prefix is None:
            return None
        return prefix + (name,)

    def _check_ins(self, call: Call, site: Site) -> list:
        """An asset check's additional_ins= (AssetIn values), keyed like an asset's ins (R2.2)."""
        ins = call.kwargs.get("additional_ins")
        if ins is None or _is_none(ins):
            return []
        if not isinstance(ins, DictV):
            return [Dep(None, False, site, "check_ins")]
        deps = []
        for name, asset_in in ins.items:
            key = None
            if isinstance(asset_in, Call) and asset_in.name == "AssetIn":
                explicit = asset_in.arg(0, "key")
                if explicit is not None and not _is_none(explicit):
                    key = coerce_key(explicit)
                elif constant_str(name) is not None:
                    prefix = coerce_prefix(asset_in.arg(None, "key_prefix"))
                    key = prefix + (constant_str(name),) if prefix is not None else None
            deps.append(Dep(key, False, asset_in.site if isinstance(asset_in, Call) else site, "check_ins"))
        return deps

    def _target_dep(self, ev: Evaluator, call: Call, site: Site) -> Optional[Dep]:
        value = call.arg(None, "asset")
        if value is None:
            return None
        ir = dict(call.expr[4]).get("asset") if call.expr else None
        target_site = Site(site.path, ir[1]) if ir else site
        return Dep(coerce_key(value), False, target_site, "check")

    def build_multi(self, ev: Evaluator, decorator: Call, func: Func, definition: Definition) -> Definition:
        kw = decorator.kwargs
        facts = func.facts
        site = definition.site
        op_name = constant_str(kw.get("name")) or facts.name
        decorator_group = group_of(kw.get("group_name"), default=None)
        inputs = input_deps(ev, decorator, func, definition.shadowed_deps)
        specs = []
        complete = True
        outs, spec_values = kw.get("outs"), kw.get("specs")
        if isinstance(outs, DictV):
            for k, out in outs.items:
                name = constant_str(k)
                if name is None or not isinstance(out, Call):
                    complete = False
                    continue
                explicit = out.arg(None, "key")
                if explicit is not None and not _is_none(explicit):
                    key = coerce_key(explicit)
                else:
                    prefix = coerce_prefix(out.arg(None, "key_prefix"))
                    key = prefix + (name,) if prefix is not None else None
                own_group = group_of(out.kwargs.get("group_name"), default=None)
                group = own_group or decorator_group or ("default" if "group_name" not in out.kwargs
                                                         and "group_name" not in kw else None)
                specs.append((name, SpecNode(key, group, MATERIALIZABLE_ASSET, list(inputs), definition, site, op_name,
                                             table_name=table_name_of(out.kwargs.get("metadata")))))
        elif isinstance(spec_values, Seq):
            for element in spec_values.items:
                if not isinstance(element, Definition) or element.kind != SPEC:
                    complete = False
                    continue
                inner = element.specs[0]
                own_group = element.signature is not None and any(k == "group_name" for k, _ in element.signature[4])
                group = inner.group if own_group else (decorator_group or inner.group)
                deps = [Dep(d.key, d.key is not None and d.key in param_keys(inputs), d.site, d.via,
                            table_name=d.table_name) for d in inner.deps]
                specs.append((None, SpecNode(inner.key, group, MATERIALIZABLE_ASSET, deps, definition, inner.site,
                                             op_name, table_name=inner.table_name)))
        elif outs is not None or spec_values is not None:
            complete = False
        internal = kw.get("internal_asset_deps")
        if isinstance(internal, DictV) and internal.items:
            by_out = {constant_str(k): v for k, v in internal.items}
            for out_name, spec in specs:
                listed = by_out.get(out_name)
                if listed is None:
                    if spec.deps:
                        definition.internal_deps_gaps.append((out_name, spec.deps))
                    spec.deps = []  # R4.1: an unlisted output depends on nothing
                elif isinstance(listed, Seq):
                    spec.deps = [Dep(coerce_key(v), False, site, "internal") for v in listed.items]
                else:
                    spec.deps = [Dep(None, False, site, "internal")]
        elif internal is not None and not isinstance(internal, DictV):
            for _, spec in specs:
                spec.deps = [Dep(None, False, site, "internal")]
        definition.specs = [s for _, s in specs]
        definition.complete = complete and all(s.key is not None for s in definition.specs)
        if definition.kind == GRAPH_MULTI_ASSET:
            definition.composition = self.build_op(ev, Call("graph", (), {}, site, func.module, None), func)
        return definition

    # ops and jobs ----------------------------------------------------------------------------
    def build_op(self, ev: Evaluator, decorator: Call, func: Func) -> Value:
        from asset_lint.resolve.ops import build_job, build_op
        if decorator.name == "op":
            return build_op(ev, decorator, func)
        return build_job(ev, decorator, func)


def build_trigger(kind: str, call: Call, default_name: Optional[str], site: Site) -> TriggerDef:
    """A schedule or sensor (decorator or constructor): what it targets, as evaluated (R6.4)."""
    kw = call.kwargs
    name = constant_str(kw.get("name")) or default_name
    if call.name == "build_schedule_from_partitioned_job":
        job = call.arg(0, "job")
    else:
        job = kw.get("job", kw.get("target", kw.get("jobs")))
    job_name = kw.get("job_name")
    if name is None and call.name == "ScheduleDefinition" and constant_str(job_name) is not None:
        name = f"{constant_str(job_name)}_schedule"   # Dagster's default schedule name
    asset_key = call.arg(0, "asset_key") if kind == "asset_sensor" else None
    return TriggerDef(kind, name, site, job_name=job_name, job=job, asset_key=asset_key)


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


__all__ = ["DagsterApi"]


# Definitions' attributes that hold what it was given, by DefinitionsV field
_DEFINITIONS_LISTS = {"assets": "assets", "asset_checks": "checks", "jobs": "jobs", "schedules": "schedules",
                      "sensors": "sensors"}


def _definitions_list(definitions: DefinitionsV, field_name: str) -> Value:
    """`defs.assets` and friends: the list a Definitions object (merged ones too) holds, a loader's result
    spread into it as Dagster's loaders return lists."""
    items: list = []

    def add(value) -> None:
        if value is None or (isinstance(value, Const) and value.value is None):
            return
        if isinstance(value, Seq):
            for item in value.items:
                add(item)
        elif isinstance(value, Loaded) and value.key_prefix == () and value.group_name == "":
            items.extend(value.definitions)
            if not value.complete:
                items.append(Unknown(f"an object {value.loader} cannot follow", frozenset(), (), value.site))
        else:
            items.append(value)

    def walk(value) -> None:
        if isinstance(value, DefinitionsV):
            for part in value.parts:
                walk(part)
            add(getattr(value, field_name))
        else:
            items.append(value if isinstance(value, Unknown) else Unknown(f"{field_name} of a merged part"))

    walk(definitions)
    return Seq(tuple(items), "list")


def _repository(listed: Seq, site: Site, module: str) -> DefinitionsV:
    """What a @repository function's list holds, sorted as Definitions' arguments: Dagster takes assets, checks,
    jobs, schedules and sensors from one list (an unknown item could be any of them)."""
    buckets: dict = {"assets": [], "jobs": [], "schedules": []}
    for item in listed.items:
        if isinstance(item, (JobDef, AssetJob)):
            buckets["jobs"].append(item)
        elif isinstance(item, TriggerDef):
            buckets["schedules"].append(item)
        else:
            buckets["assets"].append(item)
    return DefinitionsV(site, module, **{name: Seq(tuple(items)) for name, items in buckets.items()})
