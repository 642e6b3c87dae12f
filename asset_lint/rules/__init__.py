"""Rules: each module's check(context) is a pure function of the finished project, its graphs and the
settings (a RuleContext). Listed explicitly, in code order; name, severity and prose are in rules/*.md."""
from asset_lint.rules import (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
    dg006_string_deps,
    dg007_ignored_asset_parameter,
    dg008_invalid_asset_name,
    dg009_colliding_dep_input_names,
    dg010_misnamed_context_parameter,
    dg011_misnamed_config_parameter,
    dg012_duplicate_op_name,
    dg013_asset_not_in_definitions,
    dg014_multiple_definitions,
    dg015_remapped_dependency,
    dg016_unknown_selection_target,
    dg017_missing_resource,
    dg018_loader_drops_definitions,
    dg019_loader_group_conflict,
    dg020_multi_asset_internal_deps_gap,
    dg021_cross_location_conflict,
)
from asset_lint.rules.context import RuleContext

__all__ = ["ALL", "RuleContext"]

ALL = (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
    dg006_string_deps,
    dg007_ignored_asset_parameter,
    dg008_invalid_asset_name,
    dg009_colliding_dep_input_names,
    dg010_misnamed_context_parameter,
    dg011_misnamed_config_parameter,
    dg012_duplicate_op_name,
    dg013_asset_not_in_definitions,
    dg014_multiple_definitions,
    dg015_remapped_dependency,
    dg016_unknown_selection_target,
    dg017_missing_resource,
    dg018_loader_drops_definitions,
    dg019_loader_group_conflict,
    dg020_multi_asset_internal_deps_gap,
    dg021_cross_location_conflict,
)
# Codes findings can carry besides the rules' own (DG000, DG999): asset_lint/codes.py, kept in step
# with ALL by a test so settings can be validated without importing the rules.
