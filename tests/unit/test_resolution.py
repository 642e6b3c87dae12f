"""Key and edge resolution across modules, one Dagster rule per test (semantics section numbers)."""
from __future__ import annotations

from projects import codes_of, graph_of, make_project

DEFS = {"pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n'}


def test_keys_names_and_prefixes_from_constants_in_another_module(tmp_path):
    make_project(tmp_path, {
        **DEFS,
        "defs/constants.py": 'PREFIX = "raw"\nPARTS = ["a", "b"]\nNAME = PREFIX + "_x"\n',
        "defs/assets.py": '''
            import dagster as dg
            from dagster import asset as a, AssetKey as AK
            from .constants import PREFIX, PARTS, NAME

            @dg.asset(key_prefix=PREFIX)
            def users(): ...

            @a(key=AK([*PARTS, "c"]))
            def keyed(): ...

            @a(name=f"{NAME}_y", key_prefix=["", "p"])
            def named(): ...

            @dg.asset(key="one/component")
            def raw_component(): ...
        ''',
        "defs/definitions.py": ("import dagster\nfrom . import assets\n"
                                "defs = dagster.Definitions(assets=dagster.load_assets_from_modules([assets]))\n"),
    })
    keys = set(graph_of(tmp_path)["defs.definitions"])
    assert keys == {"raw/users", "a/b/c", "p/raw_x_y", "one/component"}


def test_parameters_follow_dagster_input_rules(tmp_path):
    make_project(tmp_path, {
        **DEFS,
        "defs/assets.py": '''
            from dagster import asset, AssetExecutionContext, Config, ConfigurableResource, ResourceParam
            from .res import Warehouse

            class MyConfig(Config):
                n: int = 1

            @asset
            def up1(): ...
            @asset
            def up2(): ...
            @asset
            def ctx(): ...
            @asset
            def p_context(context: AssetExecutionContext, up1, config: MyConfig, wh: Warehouse, raw: ResourceParam[dict]): ...
            @asset
            def p_kwonly(_, up1, *, up2): ...
            @asset
            def p_posonly(up1, /, up2): ...
            @asset
            def p_ctx_is_input(ctx, up1): ...
            @asset
            def p_string_annotation(wh: "Warehouse", up2): ...
        ''',  # noqa: E501 (the Dagster source above is quoted verbatim)
        "defs/res.py": ("import dagster as dg\nclass Base(dg.ConfigurableResource):\n    pass\nclass Warehouse(Base):\n"
                        "    pass\n"),
        "defs/definitions.py": ("from dagster import Definitions, load_assets_from_modules\nfrom . import assets\n"
                                "defs = Definitions(assets=load_assets_from_modules([assets]))\n"),
    })
    graph = graph_of(tmp_path)["defs.definitions"]
    assert graph["p_context"] == ["up1"]
    assert graph["p_kwonly"] == ["up1"]
    assert graph["p_posonly"] == ["up2"]
    assert graph["p_ctx_is_input"] == ["ctx", "up1"]
    assert graph["p_string_annotation"] == ["up2"]


def test_same_group_remapping_and_loader_prefix(tmp_path):
    make_project(tmp_path, {
        **DEFS,
        "defs/raw.py": '''
            from dagster import asset
            @asset
            def raw_orders(): ...
            @asset(deps=["raw_orders", "external_src"])
            def raw_customers(): ...
        ''',
        "defs/marts.py": '''
            from dagster import asset
            @asset(key_prefix="p")
            def up(): ...
            @asset(key_prefix="p")
            def down(up): ...
        ''',
        "defs/definitions.py": '''
            from dagster import Definitions, load_assets_from_modules
            from . import raw, marts
            defs = Definitions(assets=[*load_assets_from_modules([raw], key_prefix="pfx"), *load_assets_from_modules([marts])])
        ''',  # noqa: E501 (the Dagster source above is quoted verbatim)
    })
    graph = graph_of(tmp_path)["defs.definitions"]
    assert graph["p/down"] == ["p/up"]
    assert graph["pfx/raw_customers"] == ["external_src", "pfx/raw_orders"]
    assert codes_of(tmp_path) == [("defs/marts.py", 5, "DG015"), ("defs/raw.py", 4, "DG002")]


def test_unknown_keys_keep_dg002_silent(tmp_path):
    make_project(tmp_path, {
        **DEFS,
        "defs/assets.py": '''
            from dagster import asset
            def factory(name):
                @asset(name=name)
                def _inner(): ...
                return _inner
            made = [factory(f"gen_{i}") for i in range(3)]
            @asset(deps=["gen_0"])
            def consumer(): ...
        ''',
        "defs/definitions.py": ("from dagster import Definitions\nfrom .assets import made, consumer\n"
                                "defs = Definitions(assets=[*made, consumer])\n"),
    })
    assert codes_of(tmp_path) == []


def test_each_code_location_is_judged_alone(tmp_path):
    lesson = '''
        from dagster import asset, Definitions
        @asset
        def trips(): ...
        @asset
        def stats(trips): ...
        defs = Definitions(assets=[trips, stats])
    '''
    make_project(tmp_path, {"lesson_1/definitions.py": lesson, "lesson_2/definitions.py": lesson})
    assert codes_of(tmp_path) == []
    assert set(graph_of(tmp_path)) == {"lesson_1.definitions", "lesson_2.definitions"}


def test_multi_asset_outs_specs_and_internal_deps(tmp_path):
    make_project(tmp_path, {
        **DEFS,
        "defs/assets.py": '''
            from dagster import AssetKey, AssetOut, AssetSpec, asset, multi_asset
            @asset
            def up1(): ...
            @asset
            def up2(): ...
            @multi_asset(outs={"a": AssetOut(), "b": AssetOut(key_prefix="p"), "c": AssetOut(key=["x", "y"])})
            def m(up1, up2): ...
            @multi_asset(outs={"i1": AssetOut(), "i2": AssetOut(), "i3": AssetOut()},
                         internal_asset_deps={"i1": {AssetKey("up1")}, "i2": {AssetKey("i1"), AssetKey("up2")}})
            def with_internal(up1, up2): ...
            @multi_asset(specs=[AssetSpec("s1", deps=["up1"]), AssetSpec(["sp", "s2"], deps=["s1"])])
            def with_specs(): ...
        ''',
        "defs/definitions.py": ("from dagster import Definitions, load_assets_from_modules\nfrom . import assets\n"
                                "defs = Definitions(assets=load_assets_from_modules([assets]))\n"),
    })
    graph = graph_of(tmp_path)["defs.definitions"]
    assert graph["a"] == graph["p/b"] == graph["x/y"] == ["up1", "up2"]
    assert graph["i1"] == ["up1"] and graph["i2"] == ["i1", "up2"] and graph["i3"] == []
    assert graph["s1"] == ["up1"] and graph["sp/s2"] == ["s1"]


def test_dg_workspace_lists_its_projects_and_typing_annotations_are_inputs(tmp_path):
    project = {
        "pyproject.toml": '[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "{m}"\n',
        "src/{m}/definitions.py": '''
            from typing import Tuple
            import dagster as dg
            @dg.asset
            def model(): ...
            @dg.asset(ins={"model": dg.AssetIn()})
            def stats(model: Tuple[float, float]): ...
            defs = dg.Definitions(assets=[model, stats])
        ''',
    }
    files = {"dg.toml": 'directory_type = "workspace"\n\n[[workspace.projects]]\npath = "listed"\n'}
    for folder in ("listed", "unlisted"):
        for rel, text in project.items():
            files[f"{folder}/{rel.replace('{m}', folder + '_pkg')}"] = text.replace("{m}", folder + "_pkg")
    make_project(tmp_path, files)
    graph = graph_of(tmp_path)
    assert set(graph) == {"listed"}
    assert graph["listed"]["stats"] == ["model"]
