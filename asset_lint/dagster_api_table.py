"""Dagster's API in one table: each name asset-lint recognises, its role, the kind of definition it
makes, and which arguments carry asset keys, dependencies and resources (semantics sections 1-7).

Extraction, resolution and the rules take their name lists and kind sets from here, as ruff takes
its codes from one table; `tests/unit/test_api_table.py` checks every name against the installed
dagster. Nothing here imports anything of asset-lint's, so every stage may import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional


class DefinitionKind(str, Enum):
    """What kind of asset definition a decorator or constructor makes (`Definition.kind`).

    A str: it compares, hashes, sorts and prints as its value ("multi_asset"), as the plain strings
    it replaces did, so findings and JSON output are unchanged.
    """

    ASSET = "asset"
    MULTI_ASSET = "multi_asset"
    GRAPH_ASSET = "graph_asset"
    GRAPH_MULTI_ASSET = "graph_multi_asset"
    OBSERVABLE = "observable"
    SPEC = "spec"
    SOURCE = "source"
    DBT = "dbt"
    CHECK = "check"

    __str__ = str.__str__          # f"{kind}" is "asset", not "DefinitionKind.ASSET" (Python 3.11+)
    __format__ = str.__format__


class AssetKind(str, Enum):
    """What Dagster's asset graph makes of a key (`SpecNode.kind`, the JSON graph's "kind"): an asset
    it can materialize, one it can only observe, or an external declaration it can do neither to."""

    MATERIALIZABLE = "materializable"
    OBSERVABLE = "observable"
    EXTERNAL = "external"

    __str__ = str.__str__
    __format__ = str.__format__


class Role(Enum):
    """What a name does when asset-lint meets it."""

    ASSET_DECORATOR = "asset decorator"          # turns a function into an asset definition
    OP_DECORATOR = "op decorator"                # @op, @job, @graph
    DEFINITIONS_DECORATOR = "definitions decorator"   # its function returns the code location's definitions
    TRIGGER_DECORATOR = "trigger decorator"      # a schedule or sensor whose target is checked (R6.4)
    OTHER_DECORATOR = "other decorator"          # never makes an asset (sensors not checked, resources, hooks)
    SPEC_CONSTRUCTOR = "spec constructor"        # AssetSpec, SourceAsset: declares a key
    TRIGGER_CONSTRUCTOR = "trigger constructor"
    LOADER = "loader"                            # load_assets_from_* and friends (resolve/locations.py)
    PASS_THROUGH = "pass-through wrapper"        # returns the definitions it is given: same keys
    KEY_PRESERVING_METHOD = "key-preserving method"   # a definition's method that keeps its keys
    UNFOLLOWED = "unfollowed builder"            # makes definitions asset-lint cannot follow: Unknown
    CONTEXT_TYPE = "context type"                # a parameter annotated with it is the context (R2.1)
    CONFIG_BASE = "config base"                  # a class deriving from it is run config (DG011)
    RESOURCE_BASE = "resource base"              # a class deriving from it is a resource (R7.3)
    VALUE = "value"                              # recognised by name (keys, ins, outs, types, bases, ...)


@dataclass(frozen=True)
class ApiName:
    """One row of the table. `name` is the public name (`Class.method` for methods)."""

    name: str
    role: Role
    kind: Optional[DefinitionKind] = None   # the definition it makes (None: not an asset definition)
    keys: tuple = ()          # the arguments that give the asset keys it makes or names
    deps: tuple = ()          # the arguments that carry its dependencies (or a trigger's target)
    resources: tuple = ()     # the arguments that carry resources or resource keys
    composes: bool = False    # its function body is an op composition (@job, @graph, @graph_asset)
    factory: bool = False     # a function whose body calls it builds definitions: its result is unknown
    star: bool = False        # reached through `from dagster import *` (dagster has no __all__)
    package: str = "dagster"  # the package that exports it
    current: bool = True      # False: not in the dagster asset-lint is checked with (an older release's)


_ASSET_KEYS = ("key", "name", "key_prefix")
_ASSET_RESOURCES = ("required_resource_keys", "resource_defs")

TABLE = (
    ApiName("asset", Role.ASSET_DECORATOR, DefinitionKind.ASSET, _ASSET_KEYS, ("ins", "deps"),
            _ASSET_RESOURCES + ("io_manager_key",), factory=True, star=True),
    ApiName("multi_asset", Role.ASSET_DECORATOR, DefinitionKind.MULTI_ASSET, ("outs", "specs", "name"),
            ("ins", "deps", "internal_asset_deps"), _ASSET_RESOURCES, factory=True, star=True),
    ApiName("graph_asset", Role.ASSET_DECORATOR, DefinitionKind.GRAPH_ASSET, _ASSET_KEYS, ("ins",), ("resource_defs",),
            composes=True, factory=True, star=True),
    ApiName("graph_multi_asset", Role.ASSET_DECORATOR, DefinitionKind.GRAPH_MULTI_ASSET, ("outs", "name"), ("ins",),
            ("resource_defs",), composes=True, factory=True, star=True),
    ApiName("observable_source_asset", Role.ASSET_DECORATOR, DefinitionKind.OBSERVABLE, _ASSET_KEYS, (),
            _ASSET_RESOURCES + ("io_manager_key",), factory=True, star=True),
    ApiName("asset_check", Role.ASSET_DECORATOR, DefinitionKind.CHECK, ("asset",),
            ("additional_ins", "additional_deps"), _ASSET_RESOURCES, factory=True, star=True),
    ApiName("dbt_assets", Role.ASSET_DECORATOR, DefinitionKind.DBT, ("manifest",), factory=True,
            package="dagster_dbt"),
    ApiName("op", Role.OP_DECORATOR, None, (), ("ins",), ("required_resource_keys", "out"), factory=True, star=True),
    ApiName("job", Role.OP_DECORATOR, None, (), (), ("resource_defs",), composes=True, factory=True, star=True),
    ApiName("graph", Role.OP_DECORATOR, None, (), ("ins",), (), composes=True, factory=True, star=True),
    ApiName("definitions", Role.DEFINITIONS_DECORATOR, star=True),
    ApiName("repository", Role.DEFINITIONS_DECORATOR, star=True),
    ApiName("schedule", Role.TRIGGER_DECORATOR, None, (), ("job", "target", "job_name"), star=True),
    ApiName("sensor", Role.TRIGGER_DECORATOR, None, (), ("job", "jobs", "target", "job_name"), star=True),
    ApiName("asset_sensor", Role.TRIGGER_DECORATOR, None, ("asset_key",), ("job", "jobs", "job_name"), star=True),
    *(ApiName(name, Role.OTHER_DECORATOR) for name in (
        "multi_asset_sensor", "io_manager", "resource", "multi_asset_check", "run_status_sensor",
        "run_failure_sensor", "failure_hook", "success_hook", "config_mapping", "input_manager",
        "dagster_type_loader", "usable_as_dagster_type")),
    *(ApiName(name, Role.OTHER_DECORATOR, current=False) for name in (
        "freshness_policy_sensor", "observable_source_asset_sensor")),
    ApiName("AssetSpec", Role.SPEC_CONSTRUCTOR, DefinitionKind.SPEC, ("key",), ("deps",), factory=True, star=True),
    ApiName("SourceAsset", Role.SPEC_CONSTRUCTOR, DefinitionKind.SOURCE, ("key",), (), ("io_manager_key",),
            factory=True, star=True),
    ApiName("ScheduleDefinition", Role.TRIGGER_CONSTRUCTOR, None, (), ("job", "target", "job_name"), star=True),
    ApiName("SensorDefinition", Role.TRIGGER_CONSTRUCTOR, None, (), ("job", "jobs", "target", "job_name")),
    ApiName("build_schedule_from_partitioned_job", Role.TRIGGER_CONSTRUCTOR, None, (), ("job",)),
    ApiName("load_assets_from_modules", Role.LOADER, factory=True, star=True),
    ApiName("load_assets_from_package_module", Role.LOADER, factory=True, star=True),
    ApiName("load_assets_from_current_module", Role.LOADER, star=True),
    *(ApiName(name, Role.LOADER) for name in (
        "load_assets_from_package_name", "load_definitions_from_module", "load_definitions_from_modules",
        "load_definitions_from_package_module", "load_definitions_from_current_module",
        "load_definitions_from_package_name", "load_from_defs_folder", "load_defs", "load_asset_checks_from_modules",
        "load_asset_checks_from_package_module", "load_asset_checks_from_current_module",
        "load_asset_checks_from_package_name")),
    ApiName("with_resources", Role.PASS_THROUGH, resources=("resource_defs",)),
    ApiName("with_source_code_references", Role.PASS_THROUGH),
    ApiName("link_code_references_to_git", Role.PASS_THROUGH),
    ApiName("link_code_references_to_git_if_cloud", Role.PASS_THROUGH, current=False),
    ApiName("AssetsDefinition.with_resources", Role.KEY_PRESERVING_METHOD, resources=("resource_defs",)),
    *(ApiName(name, Role.KEY_PRESERVING_METHOD) for name in (
        "AssetSpec.with_io_manager_key", "AssetSpec.merge_attributes", "AssetsDefinition.with_hooks",
        "AssetsDefinition.with_attributes", "AssetsDefinition.to_source_asset")),
    ApiName("AssetsDefinition.with_attributes_for_all", Role.KEY_PRESERVING_METHOD, current=False),
    *(ApiName(name, Role.UNFOLLOWED) for name in (
        "AssetsDefinition.from_op", "AssetsDefinition.from_graph", "build_column_schema_change_checks")),
    ApiName("external_assets_from_specs", Role.UNFOLLOWED, current=False),
    ApiName("build_last_update_freshness_checks", Role.UNFOLLOWED, factory=True),
    ApiName("AssetsDefinition", Role.VALUE, factory=True),
    ApiName("external_asset_from_spec", Role.VALUE, factory=True, current=False),
    ApiName("Definitions", Role.VALUE, deps=("assets", "asset_checks", "jobs", "schedules", "sensors"),
            resources=("resources",), factory=True, star=True),
    ApiName("define_asset_job", Role.VALUE, deps=("selection",), factory=True, star=True),
    ApiName("AssetExecutionContext", Role.CONTEXT_TYPE, star=True),
    ApiName("OpExecutionContext", Role.CONTEXT_TYPE, star=True),
    ApiName("AssetCheckExecutionContext", Role.CONTEXT_TYPE),
    ApiName("Config", Role.CONFIG_BASE, star=True),
    ApiName("PermissiveConfig", Role.CONFIG_BASE),
    ApiName("ConfigurableResource", Role.RESOURCE_BASE, star=True),
    *(ApiName(name, Role.RESOURCE_BASE) for name in (
        "ResourceDefinition", "ConfigurableIOManager", "ConfigurableIOManagerFactory", "IOManagerDefinition",
        "PipesSubprocessClient")),   # a Pipes client is a resource parameter (TreatAsResourceParam)
    *(ApiName(name, Role.RESOURCE_BASE, current=False) for name in (
        "ConfigurableResourceFactory", "TreatAsResourceParam")),   # older releases' top-level names
    *(ApiName(name, Role.VALUE, star=True) for name in (
        "AssetKey", "AssetIn", "AssetOut", "AssetDep", "In", "Out", "Nothing", "AssetSelection",
        "ResourceParam", "DagsterType", "Output", "MaterializeResult", "AssetCheckResult", "AssetCheckSpec",
        "DailyPartitionsDefinition")),
)

BY_NAME = {entry.name: entry for entry in TABLE}
# Top-level packages whose public names are Dagster's (their own submodules re-export them).
PACKAGES = tuple(dict.fromkeys(entry.package for entry in TABLE))


def names(*roles: Role) -> frozenset:
    """The names of the entries with one of these roles."""
    return frozenset(entry.name for entry in TABLE if entry.role in roles)


# Extraction ------------------------------------------------------------------------------------
# Calls that build definitions inside a function body: such a function is a factory.
FACTORY_CALLS = frozenset(entry.name for entry in TABLE if entry.factory)
# Dagster decorators whose function body is never an op composition.
NOT_COMPOSITIONS = frozenset(entry.name for entry in TABLE if entry.role in (
    Role.ASSET_DECORATOR, Role.OP_DECORATOR, Role.DEFINITIONS_DECORATOR, Role.TRIGGER_DECORATOR,
    Role.OTHER_DECORATOR) and not entry.composes)

# Resolution ------------------------------------------------------------------------------------
STAR_NAMES = frozenset(entry.name for entry in TABLE if entry.star)
ASSET_DECORATORS = names(Role.ASSET_DECORATOR)
OP_DECORATORS = names(Role.OP_DECORATOR)
DEFINITIONS_DECORATORS = names(Role.DEFINITIONS_DECORATOR)
TRIGGER_DECORATORS = names(Role.TRIGGER_DECORATOR)
OTHER_DECORATORS = names(Role.OTHER_DECORATOR)
# the trigger kind (TriggerDef.kind) each constructor makes
TRIGGER_CONSTRUCTORS = {"ScheduleDefinition": "schedule", "SensorDefinition": "sensor",
                        "build_schedule_from_partitioned_job": "schedule"}
LOADERS = names(Role.LOADER)
PASS_THROUGH = names(Role.PASS_THROUGH)
KEY_PRESERVING_METHODS = frozenset(name.rsplit(".", 1)[1] for name in names(Role.KEY_PRESERVING_METHOD))
UNFOLLOWED = names(Role.UNFOLLOWED)
CONTEXT_TYPES = names(Role.CONTEXT_TYPE)
CONFIG_BASES = names(Role.CONFIG_BASE)
RESOURCE_BASES = names(Role.RESOURCE_BASE)
# the kind of definition each asset decorator makes
DECORATOR_KINDS = {entry.name: entry.kind for entry in TABLE if entry.role is Role.ASSET_DECORATOR}

# Definition kinds, as module constants: an Enum member looked up on its class costs a Python call.
ASSET, MULTI_ASSET, GRAPH_ASSET, GRAPH_MULTI_ASSET, OBSERVABLE, SPEC, SOURCE, DBT, CHECK = DefinitionKind
MATERIALIZABLE_ASSET, OBSERVABLE_ASSET, EXTERNAL_ASSET = AssetKind
# asset kinds a run executes (an external one is only declared)
EXECUTABLE_ASSET_KINDS = frozenset({MATERIALIZABLE_ASSET, OBSERVABLE_ASSET})
# kinds made by decorating a function: their parameters are read as context, config, resources, inputs
FUNCTION_ASSET_KINDS = frozenset({ASSET, MULTI_ASSET, GRAPH_ASSET, GRAPH_MULTI_ASSET})
# kinds with one key from key=/name=/key_prefix= (not outs= or specs=)
SINGLE_KEY_KINDS = frozenset({ASSET, GRAPH_ASSET, OBSERVABLE})
# kinds that are an asset of their own, each run by an op of the implicit asset job (R7.4);
# an AssetSpec, SourceAsset or check is not
OP_BACKED_KINDS = FUNCTION_ASSET_KINDS | {OBSERVABLE, DBT}
# kinds a code location collects as assets (every kind but checks)
ASSET_KINDS = OP_BACKED_KINDS | {SPEC, SOURCE}
# kinds that only declare keys: a loader's key_prefix does not apply to them (R5.5)
DECLARED_KINDS = frozenset({SPEC, SOURCE})
# kinds an asset selection may name by object (DG016)
SELECTABLE_KINDS = FUNCTION_ASSET_KINDS | {OBSERVABLE, SOURCE}
# kinds whose function DG008 checks for op and output names
NAMED_FUNCTION_KINDS = frozenset({ASSET, GRAPH_ASSET, MULTI_ASSET, OBSERVABLE})
# kinds whose function's parameters DG010 and DG011 read (graph.decorated_functions)
PARAMETER_KINDS = frozenset({ASSET, MULTI_ASSET})
