"""What an asset definition depends on: parameters, ins=, deps= (semantics R2.1-R2.4)."""
from __future__ import annotations

from typing import Optional

from asset_lint.dagster_api_table import CHECK, CONFIG_BASES, CONTEXT_TYPES, RESOURCE_BASES
from asset_lint.findings import Site
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.keys import coerce_key, coerce_prefix, table_name_of
from asset_lint.resolve.values import (
    Call, Cls, Const, Dagster, Definition, Dep, DictV, External, Func, Opaque, Seq, Unknown, Value,
)

# R2.1: the first positional parameter with one of these names is the context, not an input.
CONTEXT_NAMES = frozenset({"context", "_context", "context_", "_"})


def input_deps(ev: Evaluator, decorator: Call, func: Func, shadowed: Optional[list] = None) -> list:
    """Parameters, ins= and deps= as Dagster reads them (R2.1-R2.4); `shadowed` collects 8.19b pairs."""
    kw = decorator.kwargs
    ins = kw.get("ins")
    ins_map = {}
    if isinstance(ins, DictV):
        for k, v in ins.items:
            if isinstance(k, Const):
                ins_map[k.value] = v
    deps: list = []
    params = func.facts.params
    param_names = set()
    for index, p in enumerate(params):
        if p.kind in ("vararg", "varkw", "kwonly", "posonly"):
            continue  # R2.1.5: only positional-or-keyword parameters are inputs
        if index == 0 and p.name in CONTEXT_NAMES:
            continue
        if p.name == "config":
            continue
        is_resource = is_resource_annotation(ev, func.module, p.annotation)
        if is_resource is True:
            continue
        param_names.add(p.name)
        asset_in = ins_map.get(p.name)
        if asset_in is not None:
            deps.append(_asset_in_dep(asset_in, p.name, Site(func.rel, p.pos), is_resource is None))
        else:
            deps.append(Dep((p.name,), True, Site(func.rel, p.pos), "param", uncertain=is_resource is None))
        deps[-1].input_name = p.name
    for name, asset_in in ins_map.items():
        if name not in param_names and isinstance(asset_in, Call) and _is_nothing(asset_in.kwargs.get("dagster_type")):
            deps.append(_asset_in_dep(asset_in, name, asset_in.site, False))
            deps[-1].input_name = name
    if isinstance(ins, Unknown) or (ins is not None and not isinstance(ins, DictV)):
        deps.append(Dep(None, True, decorator.site, "ins"))
    deps.extend(deps_list(ev, decorator, "deps", value_input=False, via="deps"))
    deps.extend(deps_list(ev, decorator, "non_argument_deps", value_input=False, via="deps"))
    return drop_shadowed_deps(deps, shadowed)


def dep_input_name(key: tuple) -> str:
    """The op input a deps= key becomes (stringify_asset_key_to_input_name); it must be a valid name."""
    return "_".join(key).replace("-", "_").replace(".", "_")


def own_dep_inputs(deps: list) -> list:
    """(Dep, input name) for each deps= entry that gets an input of its own: not the key of a parameter
    or ins= entry (those share that input), as build_and_validate_named_ins does."""
    input_keys = {d.key for d in deps if d.input_name is not None}
    return [(d, dep_input_name(d.key)) for d in deps
            if d.via == "deps" and d.key is not None and d.key not in input_keys]


def drop_shadowed_deps(deps: list, shadowed: Optional[list] = None) -> list:
    """8.19b: inputs are a dict by name, so a deps= entry replaces an earlier input of the same name.
    The earlier Nothing dep silently disappears (a parameter so replaced fails to load instead)."""
    by_name = {d.input_name: d for d in deps if d.input_name is not None}
    dropped = []
    for dep, name in own_dep_inputs(deps):
        earlier = by_name.get(name)
        if earlier is not None and earlier.key != dep.key and not earlier.uncertain:
            if shadowed is not None:
                shadowed.append((earlier, dep))
            if not earlier.value_input:
                dropped.append(earlier)
        by_name[name] = dep
    return [d for d in deps if not any(d is gone for gone in dropped)] if dropped else deps


def _asset_in_dep(asset_in: Value, name: str, param_site: Site, uncertain: bool) -> Dep:
    if not isinstance(asset_in, Call) or asset_in.name != "AssetIn":
        return Dep(None, True, param_site, "ins")
    value_input = not _is_nothing(asset_in.kwargs.get("dagster_type"))
    explicit = asset_in.arg(0, "key")
    if explicit is not None and not _is_none(explicit):
        key = coerce_key(explicit)
    else:
        prefix = coerce_prefix(asset_in.arg(None, "key_prefix"))
        key = prefix + (name,) if prefix is not None else None
    return Dep(key, value_input, asset_in.site, "ins", uncertain=uncertain,
               partition_mapped="partition_mapping" in asset_in.kwargs)


def deps_list(ev: Evaluator, call: Call, keyword: str, value_input: bool, via: str) -> list:
    """Each element of deps= (R2.3), at its own line when the list is written inline."""
    value = call.kwargs.get(keyword)
    if value is None or _is_none(value):
        return []
    ir = dict(call.expr[4]).get(keyword) if call.expr else None
    whole_site = Site(call.site.path, ir[1]) if ir else call.site
    if isinstance(value, Const) and isinstance(value.value, str):
        # R2.3 / 8.18: a bare string is iterated character by character (DG006 reports it once)
        return [Dep((ch,), value_input, whole_site, "deps_string") for ch in dict.fromkeys(value.value)]
    if not isinstance(value, Seq):
        return [Dep(None, value_input, whole_site, via)]
    items_ir = _ir_items(ir)
    positions = [e[1] for e in items_ir] if items_ir and len(items_ir) == len(value.items) else None
    deps = []
    for i, element in enumerate(value.items):
        site = Site(call.site.path, positions[i]) if positions else whole_site
        table = table_name_of(element.kwargs.get("metadata")) \
            if isinstance(element, Call) and element.name == "AssetDep" else None
        for key in keys_of_dep(element):
            deps.append(Dep(key, value_input, site, via, table_name=table))
    return deps


def keys_of_dep(element: Value) -> list:
    """The key(s) one deps= element stands for; [None] when unknown."""
    if isinstance(element, Definition):
        if element.kind == CHECK or not element.complete:
            return [None]
        return [s.key for s in element.specs] or [None]
    if isinstance(element, Call) and element.name == "AssetDep":
        return keys_of_dep(element.arg(0, "asset"))
    return [coerce_key(element)]


def is_resource_annotation(ev: Evaluator, module: str, annotation) -> Optional[bool]:
    """R2.1.3: True for resource types, False for anything else, None when it cannot be known."""
    if annotation is None:
        return False
    return _is_resource_value(ev, annotation_value(ev, module, annotation), 0)


def annotation_value(ev: Evaluator, module: str, annotation) -> Value:
    """What an annotation names; a string annotation is looked up like typing.get_type_hints does."""
    if annotation[0] == "const" and isinstance(annotation[2], str):
        text = annotation[2].strip()
        if not text.replace(".", "").replace("_", "").isalnum():
            return Unknown("string annotation")
        parts = text.split(".")
        value = ev.lookup(module, parts[0])
        for part in parts[1:]:
            value = ev.attribute(module, value, part)
        return value
    return ev.eval(module, annotation)


# What a parameter's annotation names (Func.annotations): one answer to the questions Dagster asks
# of it, in the order it asks them (resource? R2.1.3; context? 8.22; Config class? 8.23).
ANNOTATION_NONE = ""                 # no annotation, or one naming nothing Dagster reads
ANNOTATION_RESOURCE = "resource"
ANNOTATION_UNKNOWN = "unknown"       # cannot be known: it may be a resource (and so a Config class too)
ANNOTATION_CONTEXT = "context"       # an execution context type
ANNOTATION_CONFIG = "config"         # a Config class that is not a resource
ANNOTATION_MAYBE_CONFIG = "config?"  # not a resource; whether it is a Config class cannot be known


def annotation_kind(ev: Evaluator, module: str, annotation) -> str:
    """What a parameter's annotation names, as one of the ANNOTATION_* answers."""
    if annotation is None:
        return ANNOTATION_NONE
    value = annotation_value(ev, module, annotation)
    is_resource = _is_resource_value(ev, value, 0)
    if is_resource is not False:
        return ANNOTATION_RESOURCE if is_resource else ANNOTATION_UNKNOWN
    if isinstance(value, Dagster) and value.name in CONTEXT_TYPES:
        return ANNOTATION_CONTEXT
    is_config = _derives_from(ev, value, CONFIG_BASES, 0)
    return ANNOTATION_NONE if is_config is False else ANNOTATION_CONFIG if is_config else ANNOTATION_MAYBE_CONFIG


def _derives_from(ev: Evaluator, value: Value, bases: frozenset, depth: int) -> Optional[bool]:
    if depth > 20:
        return None
    if isinstance(value, Dagster):
        return value.name in bases
    if isinstance(value, Cls):
        verdicts = [_derives_from(ev, ev.eval(value.module, b), bases, depth + 1) for b in value.facts.bases]
        if True in verdicts:
            return True
        return None if None in verdicts else False
    if isinstance(value, External):
        return False if value.qualname.split(".")[0] == "builtins" or not value.qualname.startswith("dagster") else None
    if isinstance(value, (Const, Opaque)) or (isinstance(value, Call) and value.name.endswith("[]")):
        return False
    return None


def _is_resource_value(ev: Evaluator, value: Value, depth: int) -> Optional[bool]:
    if depth > 20:
        return None
    if isinstance(value, Dagster):
        return value.name in RESOURCE_BASES
    if isinstance(value, Call) and value.name == "ResourceParam[]":
        return True
    if isinstance(value, Call) and value.name.endswith("[]"):
        return False
    if isinstance(value, Cls):
        verdicts = [_is_resource_value(ev, ev.eval(value.module, b), depth + 1) for b in value.facts.bases]
        if True in verdicts:
            return True
        return None if None in verdicts else False
    if isinstance(value, External):
        root = value.qualname.split(".")[0]
        if root == "builtins" or not root.startswith("dagster"):
            return False
        return True if value.qualname.endswith("Resource") else None
    if isinstance(value, (Const, Opaque)):
        return False
    return None


def param_keys(inputs: list) -> set:
    return {d.key for d in inputs if d.via in ("param", "ins")}


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


def _is_nothing(value: Optional[Value]) -> bool:
    return isinstance(value, Dagster) and value.name == "Nothing"


def _ir_items(ir) -> Optional[tuple]:
    if ir is not None and ir[0] in ("list", "tuple", "set"):
        return ir[2]
    return None
