"""DG008-DG009 mirror Dagster's own name rules: compared with the installed dagster, not a copy of it."""
from __future__ import annotations

import keyword

import pytest

from asset_lint.resolve.inputs import dep_input_name
from asset_lint.resolve.keys import op_name_of
from asset_lint.rules.dg008_invalid_asset_name import name_problem

dagster = pytest.importorskip("dagster")
utils = pytest.importorskip("dagster._core.definitions.utils")
assets_definition = pytest.importorskip("dagster._core.definitions.assets.definition.assets_definition")

NAMES = ["orders", "daily orders", "my-asset", "my.asset", "a/b", "1st", "_", "Type", "type", "input", "context",
         "config", "class", "match", "ü", "a\n", "", "x" * 300, "a__b", "with:colon", "tab\there",
         *sorted(utils.DISALLOWED_NAMES), *keyword.kwlist]
KEYS = [("a", "b"), ("a-b", "c.d"), ("raw", "type"), ("type",), ("schema/orders",), ("a b",), ("x", "")]


@pytest.mark.parametrize("name", NAMES)
def test_name_check_equals_is_valid_name(name):
    assert (name_problem(name) is None) == utils.is_valid_name(name)


def test_inputs_may_be_named_config():
    """InputDefinition calls check_valid_name(name, allow_list=["config"])."""
    assert name_problem("config", allow=("config",)) is None
    assert name_problem("type", allow=("config",)) is not None


@pytest.mark.parametrize("key", KEYS)
def test_op_and_input_names_equal_dagsters(key):
    asset_key = dagster.AssetKey(list(key))
    assert op_name_of(key) == asset_key.to_python_identifier()
    assert dep_input_name(key) == assets_definition.stringify_asset_key_to_input_name(asset_key)
