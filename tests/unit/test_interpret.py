"""The interpreter: calls of project functions, statements, comprehensions, builtins, bounds."""
from __future__ import annotations

import textwrap
import time

import pytest
from projects import codes_of, make_project

from asset_lint.extract import extract_source
from asset_lint.resolve.dagster_api import DagsterApi
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.values import Const, Definition, DictV, Instance, KeyV, OpDef, Seq, Unknown


def evaluator(**sources) -> Evaluator:
    """An evaluator over modules given as name=source; every module mentions dagster (bodies are kept)."""
    modules = {}
    for name, source in sources.items():
        text = "import dagster\n" + textwrap.dedent(source)
        modules[name] = extract_source(text.encode(), f"{name}.py", name, False, lazy=False)
    return Evaluator(modules, DagsterApi())


def value(source: str, name: str = "result"):
    return evaluator(m=source).lookup("m", name)


def plain(v):
    """A Value as plain Python, for short asserts."""
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Seq):
        return [plain(i) for i in v.items]
    if isinstance(v, DictV):
        return {plain(k): plain(x) for k, x in v.items}
    if isinstance(v, KeyV):
        return "/".join(v.path)
    if isinstance(v, Definition):
        return [spec.key for spec in v.specs]
    return v


def test_arguments_bind_as_python_binds_them():
    source = '''
        def f(a, b=2, *rest, c, d=4, **more):
            return [a, b, rest, c, d, more]

        result = f(1, 5, 6, 7, c=3, e=8)
        defaults = f(1, c=3)
        '''
    ev = evaluator(m=source)
    assert plain(ev.lookup("m", "result")) == [1, 5, [6, 7], 3, 4, {"e": 8}]
    assert plain(ev.lookup("m", "defaults")) == [1, 2, [], 3, 4, {}]


def test_a_call_python_would_refuse_is_unknown_and_says_why():
    result = value('''
        def f(a):
            return a

        result = f(1, 2)
        ''')
    assert isinstance(result, Unknown) and "would fail" in result.reason


def test_statements_branches_loops_and_mutations():
    result = value('''
        def build(names, skip):
            out = []
            index = {}
            for i, name in enumerate(names):
                if name == skip:
                    continue
                if name == "stop":
                    break
                out.append(name.upper())
                index[name] = i
            else:
                out.append("never")
            out += ["tail"]
            out.insert(0, "head")
            return out, index

        result = build(["a", "b", "c", "stop", "d"], "b")
        ''')
    assert plain(result) == [["head", "A", "C", "tail"], {"a": 0, "c": 2}]


def test_comprehensions_with_filters_tuple_targets_zip_and_items():
    source = '''
        CONFIG = {"eu": 1, "us": 2, "apac": 3}
        pairs = [f"{k}_{v}" for k, v in CONFIG.items() if v > 1]
        squares = {n: n * n for n in range(4)}
        joined = sorted({a + b for a, b in zip("abc", "xyz")}, reverse=True)
        chained = list(itertools.chain([1], (x for x in [2, 3]), itertools.chain.from_iterable([[4], [5]])))
        flat = [*pairs, *["z"]]
        '''
    ev = evaluator(m="import itertools\n" + textwrap.dedent(source))
    assert plain(ev.lookup("m", "pairs")) == ["us_2", "apac_3"]
    assert plain(ev.lookup("m", "squares")) == {0: 0, 1: 1, 2: 4, 3: 9}
    assert plain(ev.lookup("m", "joined")) == ["cz", "by", "ax"]
    assert plain(ev.lookup("m", "chained")) == [1, 2, 3, 4, 5]
    assert plain(ev.lookup("m", "flat")) == ["us_2", "apac_3", "z"]


def test_string_methods_formatting_and_slices():
    source = '''
        name = "  Raw_Orders  ".strip().lower()
        parts = "a.b.c".split(".")[1:]
        label = "{}-{x}".format("p", x="q") + "/".join(parts) + "%s_%d" % ("n", 3) + f"{3.14159:.2f}{name!r}"
        first = name[0] if name.startswith("raw") else None
        '''
    ev = evaluator(m=source)
    assert plain(ev.lookup("m", "name")) == "raw_orders"
    assert plain(ev.lookup("m", "label")) == "p-qb/cn_33.14'raw_orders'"
    assert plain(ev.lookup("m", "first")) == "r"


def test_a_nested_decorated_def_sees_the_frame_and_each_call_is_its_own_definition():
    ev = evaluator(m='''
        from dagster import AssetKey, asset

        def make(source, *, is_trial=False):
            prefix = ["trial"] if is_trial else []
            dep_name = source + "_api"

            @asset(key=AssetKey([*prefix, f"{source}_raw"]), deps=[dep_name])
            def _raw(): ...

            return _raw

        made = [make(s) for s in ("a", "b")] + [make("a", is_trial=True)]
        ''')
    made = ev.lookup("m", "made")
    assert [plain(d) for d in made.items] == [[("a_raw",)], [("b_raw",)], [("trial", "a_raw")]]
    assert len({id(d) for d in made.items}) == 3
    assert [dep.key for dep in made.items[0].specs[0].deps] == [("a_api",)]


def test_closures_and_lambdas_read_the_frame_around_them():
    result = value('''
        def outer(prefix):
            def inner(name):
                return prefix + "_" + name
            join = lambda n: inner(n).upper()
            return [join(n) for n in ["x", "y"]]

        result = outer("p")
        ''')
    assert plain(result) == ["P_X", "P_Y"]


def test_dataclass_namedtuple_and_init_instances_across_modules():
    ev = evaluator(records='''
        from dataclasses import dataclass, field
        from typing import NamedTuple

        @dataclass
        class Endpoint:
            name: str
            kind: str = "rest"
            tags: list = field(default_factory=list)

            def table(self):
                return "api_" + self.name

        class Feed(NamedTuple):
            name: str
            every: str = "daily"

        class Source:
            def __init__(self, name, schema="raw"):
                self.name = name
                self.path = schema + "." + name

        ENDPOINTS = [Endpoint("users"), Endpoint("orders", kind="soap")]
        ''', m='''
        from records import ENDPOINTS, Feed, Source

        tables = [ep.table() for ep in ENDPOINTS if ep.kind in ("rest",)]
        feed = Feed("prices")
        source = Source("events")
        ''')
    assert plain(ev.lookup("m", "tables")) == ["api_users"]
    feed, source = ev.lookup("m", "feed"), ev.lookup("m", "source")
    assert isinstance(feed, Instance) and plain(feed.attributes["every"]) == "daily"
    assert plain(source.attributes["path"]) == "raw.events"
    assert "records" in ev.depends["m"]   # a record read from another module: m is evaluated again when it changes


def test_the_environment_is_never_guessed():
    ev = evaluator(m='''
        import os
        import sys
        from datetime import datetime

        def build():
            if os.getenv("ENV") == "prod":
                names = ["orders"]
            else:
                names = ["sample"]
            return names

        chosen = build()
        region = os.environ["REGION"]
        flag = "x" if sys.argv[1:] else "y"
        stamp = datetime.now()
        ''')
    chosen = ev.lookup("m", "chosen")
    assert isinstance(chosen, Unknown)
    assert "comes from os.environ" in chosen.reason and "build at m.py:" in chosen.reason
    assert ev.lookup("m", "region").reason == "comes from os.environ"
    assert "sys.argv" in ev.lookup("m", "flag").reason
    assert "clock" in ev.lookup("m", "stamp").reason


def test_a_wrapper_around_the_asset_list_keeps_every_definition():
    ev = evaluator(m='''
        from dagster import AutomationCondition, asset

        @asset
        def a(): ...

        @asset
        def b(): ...

        def with_alerts(assets):
            return [x.with_attributes(automation_condition=AutomationCondition.eager()) for x in assets]

        def appended(assets):
            out = []
            for x in assets:
                out.append(x.with_hooks(set()))
            return out

        result = appended(with_alerts([a, b]))
        ''')
    result = ev.lookup("m", "result")
    assert [plain(d) for d in result.items] == [[("a",)], [("b",)]]


def test_module_level_script_loops_and_mutations():
    ev = evaluator(m='''
        SETTINGS = {"eu": 1, "us": 2}
        names = []
        for region, n in SETTINGS.items():
            names.append(region * n)
        names.extend(["x"])
        names += ["y"]
        lookup = {}
        lookup["k"] = names[0]
        ''')
    assert plain(ev.lookup("m", "names")) == ["eu", "usus", "x", "y"]
    assert plain(ev.lookup("m", "lookup")) == {"k": "eu"}


def test_configured_op_is_an_op():
    ev = evaluator(m='''
        from dagster import op

        @op
        def load(): ...

        eu = load.configured({"region": "eu"}, name="load_eu")
        ''')
    eu = ev.lookup("m", "eu")
    assert isinstance(eu, OpDef) and eu.name == "load_eu"


@pytest.mark.parametrize("source, reason", [
    ("def f(n):\n    return f(n + 1)\nresult = f(0)\n", "calls itself more than 30 deep"),
    ("def f():\n    out = []\n    for i in range(10 ** 6):\n        out.append(i)\n    return out\nresult = f()\n",
     "more than 10,000"),
    ("def f():\n    s = 'x'\n    for _ in range(30):\n        s = s + s\n    return s\nresult = f()\n",
     "longer than 1,000,000 characters"),
    ("def f():\n    n = 0\n    for i in range(9000):\n        for j in range(9000):\n            n = n + 1\n"
     "    return n\nresult = f()\n", "more than 100,000 steps"),
    ("result = [x for x in range(20000)]\n", "more than 10,000"),
    ("result = 'ab' * 10 ** 8\n", "longer than 1,000,000"),
])
def test_bounds_are_named_unknowns_never_a_hang(source, reason):
    started = time.process_time()   # CPU time: other processes on a shared machine do not count
    result = value(source)
    assert time.process_time() - started < 1.0
    assert isinstance(result, Unknown) and reason in result.reason, result


def test_snapshot_unpickler_admits_the_new_values():
    import io
    import pickle

    from asset_lint.resolve.snapshot import _SnapshotUnpickler
    ev = evaluator(m='''
        from dataclasses import dataclass

        @dataclass
        class R:
            name: str

        def make():
            def inner():
                return 1
            return inner

        record = R("x")
        inner = make()
        ''')
    for name in ("record", "inner"):
        blob = pickle.dumps(ev.lookup("m", name), protocol=4)
        assert type(_SnapshotUnpickler(io.BytesIO(blob)).load()) is type(ev.lookup("m", name))


def test_a_call_in_a_frame_is_memoised_per_loop_pass_never_in_the_module_memo():
    from asset_lint.resolve.interpret import Frame
    ev = evaluator(m='''
        from dagster import asset

        def make(name):
            @asset(name=name)
            def _a(): ...
            return _a

        call = make("x")
        ''')
    call_ir = ev.modules["m"].bindings["call"].value
    before = dict(ev._exprs)
    ev.frame = frame = Frame("m")
    first, again = ev.eval("m", call_ir), ev.eval("m", call_ir)
    frame.tick += 1
    next_pass = ev.eval("m", call_ir)
    ev.frame = None
    assert first is again and next_pass is not first and plain(next_pass) == [("x",)]
    assert ev._exprs == before


def test_a_definitions_function_body_is_run():
    ev = evaluator(m='''
        from dagster import AutomationCondition, Definitions, asset, definitions

        @asset
        def a(): ...

        @definitions
        def defs():
            eager = [x.with_attributes(automation_condition=AutomationCondition.eager()) for x in [a]]
            return Definitions(assets=eager)
        ''')
    defs = ev.lookup("m", "defs")
    assert [plain(d) for d in defs.assets.items] == [[("a",)]]


def test_a_yaml_only_component_in_the_defs_folder_keeps_the_location_partial(tmp_path):
    # a @definitions body is evaluated now: a component folder without Python must still count as unknown
    make_project(tmp_path, {
        "pyproject.toml": '[tool.dg.project]\nroot_module = "proj"\n\n'
                          '[tool.dagster]\nmodule_name = "proj.definitions"\n',
        "proj/definitions.py": '''
            from pathlib import Path

            import dagster as dg

            @dg.definitions
            def defs():
                root = Path(__file__).parent.parent
                return dg.load_from_defs_folder(project_root=root)
            ''',
        "proj/defs/assets.py": '''
            import dagster as dg

            @dg.asset(deps=["replicated_table"])
            def report(): ...
            ''',
        "proj/defs/export/defs.yaml": "type: dagster_sling.SlingReplicationCollectionComponent\n",
    })
    assert not [code for _, _, code in codes_of(tmp_path) if code == "DG002"]
