"""R3.3 (semantics 8.17): a dependency re-mapped by dagster/table_name metadata, and when it stays unknown."""
from __future__ import annotations

from projects import codes_of, graph_of, make_project

DEFS = {"pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n'}


def test_unique_table_name_remaps_and_group_remapping_comes_first(tmp_path):
    make_project(tmp_path, {**DEFS, "defs/definitions.py": '''
        import dagster as dg

        @dg.asset(key=["lake", "orders"], metadata={"dagster/table_name": "db.orders"})
        def orders(): ...

        @dg.asset(key_prefix="p", metadata={"dagster/table_name": "db.raw"})
        def raw(): ...

        @dg.asset(key=["lake", "raw"], group_name="lake", metadata={"dagster/table_name": "db.x"})
        def lake_raw(): ...

        @dg.asset(deps=[dg.AssetDep("export", metadata={"dagster/table_name": "db.orders"})])
        def by_table(): ...

        @dg.asset(group_name="other", deps=[dg.AssetDep("raw", metadata={"dagster/table_name": "db.x"})])
        def other_group(): ...

        @dg.asset(deps=[dg.AssetDep("raw", metadata={"dagster/table_name": "db.x"})])
        def same_group(): ...

        defs = dg.Definitions(assets=[orders, raw, lake_raw, by_table, other_group, same_group])
    '''})
    graph = graph_of(tmp_path)["defs.definitions"]
    assert graph["by_table"] == ["lake/orders"]
    assert graph["other_group"] == ["lake/raw"]   # no 'raw' in group other: the table name decides
    assert graph["same_group"] == ["p/raw"]       # R3.2 is tried first (verified with dagster 1.13.28)
    assert [c for _, _, c in codes_of(tmp_path)].count("DG015") == 3


def test_unknown_or_ambiguous_table_names_stay_silent(tmp_path):
    make_project(tmp_path, {**DEFS, "defs/definitions.py": '''
        import dagster as dg
        from .meta import table_metadata

        @dg.asset(key=["a", "orders"], metadata=table_metadata("orders"))
        def orders_a(): ...

        @dg.asset(deps=[dg.AssetDep("export", metadata={"dagster/table_name": "db.orders"})])
        def summary(): ...

        defs = dg.Definitions(assets=[orders_a, summary])
    ''', "defs/meta.py": '''
        import os

        def table_metadata(name):
            return {"dagster/table_name": os.environ["DATABASE"] + "." + name}
    '''})
    assert graph_of(tmp_path)["defs.definitions"]["summary"] == []
    assert not [c for _, _, c in codes_of(tmp_path) if c in ("DG002", "DG015")]
