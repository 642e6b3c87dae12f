"""Rules: pure functions of the resolved project and its graphs. Listed explicitly, in code order."""
from asset_lint.rules import (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
    dg006_string_deps,
    dg007_ignored_asset_parameter,
)

ALL = (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
    dg006_string_deps,
    dg007_ignored_asset_parameter,
)
# Codes findings can carry besides the rules' own (DG000, DG999): asset_lint/codes.py, kept in step
# with ALL by a test so settings can be validated without importing the rules.
