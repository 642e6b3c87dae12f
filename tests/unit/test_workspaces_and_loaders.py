"""Workspaces (DG002 across code locations, DG021), loaders (DG018, DG019) and DG002's "did you mean"."""
from __future__ import annotations

import pytest

from projects import codes_of, make_project

KEYS = [("customers",), ("p", "up"), ("q", "up"), ("staging", "orders"), ("raw", "shop", "orders"),
        ("raw", "orders_v2"), ("marts", "customers"), ("a", "b", "c"), ("orders",), ("ordres_archive",)]
TARGETS = [("customer",), ("up",), ("stagng", "orders"), ("raw", "orders"), ("a/b", "c"), ("a", "b/c"),
           ("staging", "order"), ("nothing_like_it",), ("marts", "customer"), ("ordres",)]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: "/".join(t))
def test_did_you_mean_equals_dagsters_candidates(target):
    """semantics Appendix A: the same candidates Dagster prints (difflib path: no rapidfuzz)."""
    resolved_asset_deps = pytest.importorskip("dagster._core.definitions.resolved_asset_deps")
    from dagster import AssetKey

    from asset_lint.graph import AssetGraph
    graph = AssetGraph.__new__(AssetGraph)
    graph.producers = {key: [] for key in KEYS}
    theirs = resolved_asset_deps.resolve_similar_asset_names(AssetKey(list(target)), [AssetKey(list(k)) for k in KEYS])
    assert graph.closest_keys(target) == [tuple(k.path) for k in theirs]


WORKSPACE = """
    load_from:
      - python_module:
          module_name: shop.definitions
          location_name: shop
      - python_module:
          module_name: finance.definitions
          location_name: finance
"""
SHOP = """
    import dagster as dg
    @dg.asset
    def orders(): ...
    defs = dg.Definitions(assets=[orders])
"""


def test_value_input_on_another_locations_key_still_fails(tmp_path):
    """A value input cannot cross code locations (8.11); a deps= entry can."""
    make_project(tmp_path, {"workspace.yaml": WORKSPACE, "shop/definitions.py": SHOP, "finance/definitions.py": """
        import dagster as dg
        @dg.asset
        def revenue(orders): ...
        @dg.asset(deps=["orders"])
        def margin(): ...
        defs = dg.Definitions(assets=[revenue, margin])
    """})
    assert codes_of(tmp_path) == [("finance/definitions.py", 3, "DG002")]


def test_a_key_nowhere_in_the_workspace_stays_missing(tmp_path):
    make_project(tmp_path, {"workspace.yaml": WORKSPACE, "shop/definitions.py": SHOP, "finance/definitions.py": """
        import dagster as dg
        @dg.asset(deps=["invoices"])
        def margin(): ...
        defs = dg.Definitions(assets=[margin])
    """})
    assert codes_of(tmp_path) == [("finance/definitions.py", 2, "DG002")]


def test_one_location_workspace_and_copied_lessons_are_not_compared(tmp_path):
    single = "load_from:\n  - python_module:\n      module_name: shop.definitions\n"
    make_project(tmp_path, {"workspace.yaml": single, "shop/definitions.py": SHOP,
                            "copy/definitions.py": SHOP})
    assert [c for c in codes_of(tmp_path) if c[2] == "DG021"] == []


def test_loader_with_an_unknown_include_specs_stays_silent(tmp_path):
    make_project(tmp_path, {"defs/assets.py": """
        import dagster as dg
        raw = dg.AssetSpec("raw")
    """, "defs/definitions.py": """
        import os
        import dagster as dg
        from . import assets
        defs = dg.Definitions(assets=dg.load_assets_from_modules([assets], include_specs=bool(os.environ.get("X"))))
    """})
    assert codes_of(tmp_path) == []


def test_loader_group_name_we_cannot_evaluate_stays_silent(tmp_path):
    make_project(tmp_path, {"defs/assets.py": """
        import dagster as dg
        @dg.asset(group_name="mine")
        def a(): ...
    """, "defs/definitions.py": """
        import os
        import dagster as dg
        from . import assets
        defs = dg.Definitions(assets=dg.load_assets_from_modules([assets], group_name=os.environ["G"]))
    """})
    assert codes_of(tmp_path) == []
