"""Rules: pure functions of the resolved project and its graphs. Listed explicitly, in code order."""
from asset_lint.rules import (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
)

ALL = (
    dg001_asset_cycle,
    dg002_missing_upstream_asset,
    dg003_duplicate_asset_key,
    dg004_op_should_be_asset,
    dg005_undeclared_data_dependency,
)

# Not rules of the catalogue's kind, but codes findings can carry: the file could not be read.
INVALID_SYNTAX = "DG000"
INTERNAL_ERROR = "DG999"  # asset-lint's own failure on one file: reported, never silenced by selection
KNOWN_CODES = frozenset({INVALID_SYNTAX, INTERNAL_ERROR, *(rule.CODE for rule in ALL)})
