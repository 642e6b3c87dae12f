"""What an expression evaluates to, statically. `Unknown` is explicit: rules never fire on it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from asset_lint.dagster_api_table import AssetKind, DefinitionKind
from asset_lint.findings import Site
from asset_lint.picklable import pickled_as_a_call


# Values are never changed once made, yet not frozen dataclasses: a frozen __init__ sets each field
# through object.__setattr__, which cost resolve an eighth of its instructions. unsafe_hash keeps
# the value-like ones hashable by value, as frozen ones were.


class Value:
    """Base of every static value."""


@dataclass(eq=False)
class Unknown(Value):
    """A value asset-lint cannot know without running the code (a factory, a loop, an unknown decorator),
    typed by what it could be (resolve/gaps.py): a rule stays silent only on what it could have affected."""

    reason: str = ""
    could_be: frozenset = frozenset()   # "assets", "checks", "ops", "jobs", "resources", "other"; empty: anything
    prefix: tuple = ()                  # every asset key it could produce starts with it; (): any key
    site: Optional[Site] = None         # where it arises (file, line)


@dataclass(eq=False)
class Opaque(Value):
    """A known value that is certainly not a Dagster definition (a client, a logger, a plain call result)."""

    what: str = ""


@dataclass(unsafe_hash=True)
class Const(Value):
    value: Any


@dataclass(eq=False)
class Seq(Value):
    items: tuple
    kind: str = "list"


@dataclass(eq=False)
class DictV(Value):
    items: tuple  # ((key Value, value Value), ...)

    def get(self, name: str) -> Optional[Value]:
        """The value under a constant string key."""
        for k, v in self.items:
            if isinstance(k, Const) and k.value == name:
                return v
        return None


@dataclass(unsafe_hash=True)
class ModuleV(Value):
    """A module of the analysed project."""

    name: str


@dataclass(unsafe_hash=True)
class External(Value):
    """Something imported from outside the project (qualified name, e.g. pandas.read_sql)."""

    qualname: str


@dataclass(unsafe_hash=True)
class Dagster(Value):
    """A public Dagster API object, by name (asset, AssetKey, Definitions, ...); dbt names too."""

    name: str


@dataclass(unsafe_hash=True)
class KeyV(Value):
    """An AssetKey."""

    path: tuple


@dataclass(eq=False)
class Call(Value):
    """The result of calling a Dagster API that is not itself a definition (AssetIn, Out, asset(...))."""

    name: str
    args: tuple
    kwargs: dict
    site: Site
    module: str
    expr: Any = None

    def arg(self, index: int, keyword: str) -> Optional[Value]:
        """An argument given by keyword or position."""
        if keyword in self.kwargs:
            return self.kwargs[keyword]
        if index is not None and index < len(self.args):
            return self.args[index]
        return None


@dataclass(eq=False)
class Keyword:
    """One keyword argument of a decorator call as written (rules read names and sites here, not in the IR)."""

    name: str
    site: Site                      # where its value is written
    constant: bool                  # a literal constant (a string, None, a number)
    text: Optional[str] = None      # the value, when it is a constant string
    keys: tuple = ()                # (key, site) of each constant string key of a dict literal (outs={...})


@dataclass(eq=False)
class Func(Value):
    module: str
    facts: Any
    rel: str
    # Filled in by resolve.finish for the functions Dagster decorates; None: nothing asked for them.
    annotations: Optional[tuple] = None   # per parameter, what its annotation names (resolve.inputs.ANNOTATION_*)
    storage: Optional[list] = None        # its body's evaluated reads and writes (resolve.storage.StorageUse)
    node_names: Optional[tuple] = None    # a @multi_asset's op and outs= names: (name, Site, is_out)
    # a def nested in a function: the locals of the frames around it, innermost first (read when it is called)
    closure: Optional[tuple] = None

    def decorator_keywords(self) -> tuple:
        """Every keyword of its decorator calls, in order, with where its value (and a dict's keys) is
        written (Keyword); read off the facts when asked, as few functions are: not kept in the snapshot."""
        found = []
        for decorator in self.facts.decorators:
            if decorator[0] != "call":
                continue
            for name, value in decorator[4]:
                constant = value[0] == "const"
                keys = tuple((key[2], Site(self.rel, key[1])) for key, _ in value[2]
                             if key is not None and key[0] == "const" and isinstance(key[2], str)) \
                    if value[0] == "dict" else ()
                found.append(Keyword(name, Site(self.rel, value[1]), constant,
                                     value[2] if constant and isinstance(value[2], str) else None, keys))
        return tuple(found)


@dataclass(eq=False)
class Cls(Value):
    module: str
    facts: Any


@dataclass(eq=False)
class Instance(Value):
    """An object of a plain project class (a dataclass, a NamedTuple, a class whose __init__ stores its
    arguments): its class and the attributes it was given."""

    cls: Cls
    attributes: dict = field(default_factory=dict)


@dataclass(eq=False)
class Method(Value):
    """A project function bound to its receiver (`record.table_name` on an Instance, self first)."""

    func: Func
    receiver: Value


@dataclass(eq=False)
class Dep:
    """One dependency of an asset spec. key None = unknown; value_input decides error vs stub."""

    key: Optional[tuple]
    value_input: bool
    site: Site
    via: str                        # param | ins | deps | spec_deps | internal
    uncertain: bool = False         # e.g. a parameter whose annotation might be a resource
    partition_mapped: bool = False  # an AssetIn with a partition_mapping (8.10 allows a self-dependency)
    input_name: Optional[str] = None  # the op input a parameter or ins= entry becomes
    table_name: Any = None          # AssetDep(metadata={"dagster/table_name": ...}) (R3.3): str, or Unknown


@dataclass(eq=False)
class SpecNode:
    """One asset key produced or declared by a definition."""

    key: Optional[tuple]
    group: Optional[str]
    kind: AssetKind
    deps: list
    definition: "Definition"
    site: Site
    op_name: Optional[str] = None
    loader_prefix: tuple = ()        # set when a prefixed load_assets_from_* call loaded it (R5.5)
    table_name: Any = None           # its dagster/table_name metadata (R3.3): str, or Unknown


@dataclass(eq=False)
class Definition(Value):
    """An asset definition object (one identity even if listed twice)."""

    kind: DefinitionKind
    name: str
    site: Site
    module: str
    specs: list = field(default_factory=list)
    complete: bool = True           # all keys statically known
    signature: Any = None           # for AssetSpec: the call IR, to merge identical specs (R5.2)
    check_target: Optional[Dep] = None
    func: Any = None
    extra_deps: list = field(default_factory=list)   # asset checks' additional_deps
    shadowed_deps: list = field(default_factory=list)  # (dropped Dep, later Dep): one input name (8.19b)
    internal_deps_gaps: list = field(default_factory=list)   # (out name, deps it lost): R4.1 unlisted outputs
    composition: Any = None                          # @graph_asset bodies: the ops they compose
    decorator: Any = None                            # the decorator Call (resources, io managers)
    requirements: Any = None                         # resolve.resources.Requirements (resolve.finish)

    def call_text(self) -> tuple:
        """An AssetSpec call's text without positions: two identical calls declare one spec (R5.2)."""
        return _call_text(self.signature)


@dataclass(eq=False)
class OpDef(Value):
    name: str
    site: Site
    module: str
    func: Any
    io_manager_keys: tuple
    decorator: Any = None                         # the @op Call (resources, io managers)
    requirements: Any = None                      # resolve.resources.Requirements (resolve.finish)


@dataclass(eq=False)
class JobDef(Value):
    """An op job or graph: its op invocations and the edges between them."""

    kind: str                       # job | graph
    name: str
    site: Site
    module: str
    nodes: list = field(default_factory=list)      # (node name, OpDef | JobDef)
    edges: list = field(default_factory=list)      # (upstream node, downstream node)
    dynamic: bool = False
    resources: Any = None                          # resource_defs= as evaluated (a DictV when known)


@dataclass(eq=False)
class AssetJob(Value):
    name: Optional[str]
    site: Site
    selection: Any


@dataclass(eq=False)
class TriggerDef(Value):
    """A schedule or sensor: the job it targets by name or object, or the asset key it watches."""

    kind: str                       # schedule | sensor | asset_sensor
    name: Optional[str]
    site: Site
    job_name: Any = None            # job_name= as evaluated
    job: Any = None                 # job= / jobs= / target= as evaluated (a job object or a selection)
    asset_key: Any = None           # @asset_sensor(asset_key=...)


@dataclass(eq=False)
class DefinitionsV(Value):
    site: Site
    module: str
    assets: Any = None
    jobs: Any = None
    checks: Any = None
    schedules: Any = None
    sensors: Any = None
    resources: Any = None
    parts: tuple = ()               # Definitions.merge inputs
    walked: str = ""                # the defs package load_from_defs_folder walked to make it


@dataclass(eq=False)
class Loaded(Value):
    """What load_assets_from_modules and friends return: definitions plus the loader's transforms."""

    definitions: tuple
    key_prefix: Optional[tuple]
    group_name: Optional[str]
    complete: bool
    site: Site
    loader: str = ""                # the loader function's name
    dropped: tuple = ()             # module objects this loader found but silently skips (checks, specs; 8.33)
    unknowns: tuple = ()            # module attributes it may load that asset-lint cannot evaluate (Unknown)


UNKNOWN = Unknown("unknown")

pickled_as_a_call(Unknown, Opaque, Const, Seq, DictV, ModuleV, External, Dagster, KeyV, Call, Keyword, Func, Cls,
                  Instance, Method, Dep,
                  SpecNode, Definition, OpDef, JobDef, AssetJob, TriggerDef, DefinitionsV, Loaded)


def constant_str(value: Value) -> Optional[str]:
    """The string a value certainly is, else None."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return None


def _call_text(expr) -> tuple:
    """The call's text without positions: two identical AssetSpec calls are one spec (R5.2)."""
    def strip(node):
        if isinstance(node, tuple) and node and isinstance(node[0], str) and len(node) > 1 \
                and isinstance(node[1], tuple) and len(node[1]) == 4:
            return (node[0],) + tuple(strip(n) for n in node[2:])
        if isinstance(node, tuple):
            return tuple(strip(n) for n in node)
        return node
    if expr is None:
        return ()
    kwargs = tuple(name for name, _ in expr[4])
    return kwargs + (strip(expr),)
