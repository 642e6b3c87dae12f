"""The extraction IR: expressions, statement bodies, parameters' defaults, class fields, module-level scripts."""
from __future__ import annotations

import textwrap

import pytest

from asset_lint.extract import extract_source
from asset_lint.extract.facts import FunctionFacts


def _facts(source: str, mentions_dagster: bool = True):
    header = "import dagster\n" if mentions_dagster else ""
    return extract_source((header + textwrap.dedent(source)).encode(), "m.py", "m", False, lazy=False)


def _bare(node):
    """The IR without positions: ("name", pos, "x") -> ("name", "x")."""
    if isinstance(node, tuple) and node and isinstance(node[0], str) and len(node) > 1 \
            and isinstance(node[1], tuple) and len(node[1]) == 4 and all(isinstance(n, int) for n in node[1]):
        return (node[0],) + tuple(_bare(n) for n in node[2:])
    if isinstance(node, tuple):
        return tuple(_bare(n) for n in node)
    return node


def _value(source: str, name: str = "x"):
    return _bare(_facts(source).bindings[name].value)


def _function(source: str, name: str = "f", mentions_dagster: bool = True) -> FunctionFacts:
    return _facts(source, mentions_dagster).bindings[name].value


X, Y, A, B = ("name", "x"), ("name", "y"), ("name", "a"), ("name", "b")


@pytest.mark.parametrize("source, expected", [
    ("x = [y for y in a if y]", ("comp", "list", Y, ((Y, A, (Y,)),))),
    ("x = {y for y in a}", ("comp", "set", Y, ((Y, A, ()),))),
    ("x = list(y for y, _ in a for b in y)",
     ("call", ("name", "list"), (("comp", "gen", Y, ((("tuple", (Y, ("name", "_"))), A, ()), (B, Y, ()))),), ())),
    ("x = {y: b for y, *b in a}", ("dictcomp", Y, B, ((("tuple", (Y, ("star", B))), A, ()),))),
    ("x = a if y else b", ("ifexp", Y, A, B)),
    ("x = a < y <= 3", ("compare", A, ("<", "<="), (Y, ("const", 3)))),
    ("x = a not in y", ("compare", A, ("not in",), (Y,))),
    ("x = a and y or b", ("boolop", "or", (("boolop", "and", (A, Y)), B))),
    ("x = not a", ("unary", "not", A)),
    ("x = -1", ("unary", "-", ("const", 1))),
    ("x = a * 2", ("binop", "*", A, ("const", 2))),
    ("x = a // y", ("binop", "//", A, Y)),
    ("x = a | y", ("binop", "|", A, Y)),
    ("x = a + y", ("add", A, Y)),
    ("x = a / 'b'", ("div", A, ("const", "b"))),
    ("x = a[1:]", ("sub", A, ("slice", ("const", 1), None, None))),
    ("x = a[::-1]", ("sub", A, ("slice", None, None, ("unary", "-", ("const", 1))))),
    ("x = a['k']", ("sub", A, ("const", "k"))),
    ("x = f'{a}_raw'", ("fstr", (A, ("const", "_raw")))),
    ("x = f'{a!r}'", ("fstr", (("fmt", A, "r", None),))),
    ("x = f'{a:>{y}}'", ("fstr", (("fmt", A, None, ("fstr", (("const", ">"), Y))),))),
    ("x = (y := 3)", ("named", "y", ("const", 3))),
])
def test_expression_kinds(source, expected):
    assert _value(source) == expected


def test_lambda_has_parameters_with_defaults():
    kind, params, body = _value("x = lambda a, *r, b=2, **k: a")
    assert (kind, body) == ("lambda", A)
    assert [(p.name, p.kind, p.has_default, _bare(p.default)) for p in params] == [
        ("a", "normal", False, None), ("r", "vararg", False, None), ("b", "kwonly", True, ("const", 2)),
        ("k", "varkw", False, None)]


def test_parameter_defaults():
    facts = _function("def f(a, b=1, /, c='x', *, d=None, e):\n    return a\n")
    assert [(p.name, p.kind, _bare(p.default)) for p in facts.params] == [
        ("a", "posonly", None), ("b", "posonly", ("const", 1)), ("c", "normal", ("const", "x")),
        ("d", "kwonly", ("const", None)), ("e", "kwonly", None)]


BODY = '''
def f(items, flag):
    """Dropped."""
    a = b = []
    a += [1]
    x: int
    y: int = 2
    for i, item in enumerate(items):
        if item:
            continue
        else:
            break
    else:
        pass
    with open(items) as handle, lock():
        a.append(handle)
    import os.path
    from .sibling import thing as other
    assert flag
    del a
    while flag:
        z = 1
    try:
        w = 1
    except ValueError as error:
        raise
    f(a)
    return a
'''


def test_statement_kinds():
    body = _bare(_function(BODY).body)
    assert body == (
        ("assign", (A, ("name", "b")), ("list", ())),
        ("augassign", A, "add", ("list", (("const", 1),))),
        ("pass",),
        ("assign", (Y,), ("const", 2)),
        ("for", ("tuple", (("name", "i"), ("name", "item"))),
         ("call", ("name", "enumerate"), (("name", "items"),), ()),
         (("if", ("name", "item"), (("continue",),), (("break",),)),), (("pass",),)),
        ("with", (("name", "handle"),), (("expr", ("call", ("attr", A, "append"), (("name", "handle"),), ())),)),
        ("import", (("os", body[6][1][0][1]),)),
        ("import", (("other", body[7][1][0][1]),)),
        ("pass",),
        ("opaque", "a del statement", ("a",)),
        ("opaque", "a while loop", ("z",)),
        ("opaque", "a try block", ("error", "w")),
        ("expr", ("call", ("name", "f"), (A,), ())),
        ("return", A),
    )
    imports = _function(BODY).body
    assert (imports[6][2][0][1].kind, imports[6][2][0][1].value) == ("import", "os")
    assert (imports[7][2][0][1].kind, imports[7][2][0][1].value) == ("from", ("sibling", "thing"))


def test_type_checking_guard_reads_as_true():
    body = _bare(_function("def f():\n    if TYPE_CHECKING:\n        import x\n    return 1\n").body)
    assert body[0][:2] == ("if", ("const", True))


NESTED = '''
import functools
from dagster import asset, definitions, Definitions

def make(name, deps=()):
    @asset(name=f"{name}_raw", deps=list(deps))
    def raw(context):
        context.resources.warehouse.execute("select 1")
        df.to_parquet("out.parquet")

    def helper():
        return name
    return raw

@asset
def plain():
    x = 1
    return x

@definitions
def defs():
    return Definitions(assets=[make("a")])

@functools.cache
def cached():
    return [1]

@my_decorator
def wrapped():
    return 2
'''


def test_bodies_are_kept_except_for_dagster_definitions():
    facts = _facts(NESTED)
    by_name = {f.name: f for f in facts.functions}
    assert by_name["plain"].body is None
    assert by_name["defs"].body is not None
    assert by_name["cached"].body is not None
    assert by_name["wrapped"].body is not None
    body = by_name["make"].body
    assert [s[0] for s in body] == ["def", "def", "return"]
    raw, helper = body[0][2], body[1][2]
    assert raw.body is None and helper.body is not None
    assert _bare(raw.decorators[0])[0] == "call" and [p.name for p in raw.params] == ["context"]
    assert raw.resource_attrs == ("warehouse",)
    assert [(s.mode, s.method) for s in raw.storage] == [("sql", "execute"), ("write", "to_parquet")]
    assert _bare(helper.returns) == ("name", "name")
    assert by_name["make"].returns[0] == "unknown"    # the evaluator's view stays as it was


def test_a_module_without_dagster_keeps_no_bodies():
    facts = _function("def f(a):\n    b = a\n    return b\n", mentions_dagster=False)
    assert facts.body is None and facts.returns is None
    single = _function("def f(a):\n    return a\n", mentions_dagster=False)
    assert single.body is None and _bare(single.returns) == A


CLASSES = '''
from dataclasses import dataclass, field
from typing import NamedTuple, ClassVar

@dataclass(frozen=True)
class Dataset:
    """Docstring."""
    name: str
    tags: list = field(default_factory=list)
    KIND: ClassVar[str] = "table"
    prefix = "raw"

    @property
    def table(self):
        return f"{self.prefix}_{self.name}"

class Endpoint(NamedTuple):
    path: str
    kind: str = "rest"

    def url(self, base):
        full = base + self.path
        return full
'''


def test_class_fields_attributes_and_methods():
    facts = _facts(CLASSES)
    dataset, endpoint = facts.bindings["Dataset"].value, facts.bindings["Endpoint"].value
    assert _bare(dataset.decorators) == (("call", ("name", "dataclass"), (), (("frozen", ("const", True)),)),)
    assert _bare(dataset.fields) == (
        ("name", ("name", "str"), None),
        ("tags", ("name", "list"), ("call", ("name", "field"), (), (("default_factory", ("name", "list")),))),
        ("KIND", ("sub", ("name", "ClassVar"), ("name", "str")), ("const", "table")))
    assert _bare(dataset.attributes) == (("prefix", None, ("const", "raw")),)
    assert dataset.methods == ("table",)
    assert dataset.method_facts[0].name == "table" and dataset.method_facts[0].body is not None
    assert _bare(endpoint.bases) == (("name", "NamedTuple"),)
    assert _bare(endpoint.fields) == (("path", ("name", "str"), None), ("kind", ("name", "str"), ("const", "rest")))
    assert [p.name for p in endpoint.method_facts[0].params] == ["self", "base"]
    assert [s[0] for s in endpoint.method_facts[0].body] == ["assign", "return"]


def test_nested_class_in_a_body():
    body = _function("def f():\n    class C:\n        a: int = 1\n    return C()\n").body
    assert body[0][0] == "class" and _bare(body[0][2].fields) == (("a", ("name", "int"), ("const", 1)),)


def _script(source: str, name: str):
    binding = _facts(source).bindings[name]
    assert binding.kind == "script"
    statements, named = binding.value
    assert named == name
    return _bare(statements)


def test_a_loop_that_appends_is_a_script_from_the_fresh_binding_on():
    statements = _script('''
        assets = [summary]
        other = 1
        for ds in DATASETS:
            assets.append(make(ds))
        if __name__ == "__main__":
            assets.clear()
        assets += [extra]
        last = 2
    ''', "assets")
    make_call = ("call", ("name", "make"), (("name", "ds"),), ())
    assert statements == (
        ("assign", (("name", "assets"),), ("list", (("name", "summary"),))),
        ("assign", (("name", "other"),), ("const", 1)),
        ("for", ("name", "ds"), ("name", "DATASETS"),
         (("expr", ("call", ("attr", ("name", "assets"), "append"), (make_call,), ())),), ()),
        ("augassign", ("name", "assets"), "add", ("list", (("name", "extra"),))),
    )
    facts = _facts("assets = []\nfor ds in DATASETS:\n    assets.append(ds)\n")
    assert (facts.bindings["ds"].kind, facts.bindings["ds"].value) == ("unknown", "loop variable")


def test_item_assignment_and_augmented_assignment_in_a_loop():
    assert _script('d = {}\nd["k"] = v\n', "d") == (
        ("assign", (("name", "d"),), ("dict", ())),
        ("assign", (("sub", ("name", "d"), ("const", "k")),), ("name", "v")))
    assert [s[0] for s in _script("xs = []\nfor a in b:\n    xs += [a]\n", "xs")] == ["assign", "for"]


def test_branches_that_bind_a_name_are_a_script():
    assert _script("if flag:\n    A = 1\nelse:\n    A = 2\n", "A") == (
        ("if", ("name", "flag"), (("assign", (("name", "A"),), ("const", 1)),),
         (("assign", (("name", "A"),), ("const", 2)),)),)
    assert [s[0] for s in _script("A = 0\nif flag:\n    A = 1\n", "A")] == ["assign", "if"]


def test_a_script_that_rebinds_from_itself_starts_at_the_fresh_value():
    source = "xs = [1]\nxs = xs + [2]\nxs.extend(more)\nys = xs\n"
    assert [s[0] for s in _script(source, "xs")] == ["assign", "assign", "expr"]
    facts = _facts("for a in b:\n    xs = [a]\nxs = xs + [1]\nxs.append(2)\n")
    assert [s[0] for s in facts.bindings["xs"].value[0]] == ["for", "assign", "expr"]
    previous = _facts("xs = []\nfor a in b:\n    xs.append(a)\nxs = sorted(xs)\n").bindings["xs"]
    assert previous.kind == "expr" and previous.previous.kind == "script"


def test_what_stays_as_it_was():
    facts = _facts("xs = [1]\nxs += [2]\nif TYPE_CHECKING:\n    import typing\nfrom a import ys\nys.append(1)\n")
    assert _bare(facts.bindings["xs"].value) == ("add", ("list", (("const", 1),)), ("list", (("const", 2),)))
    assert facts.bindings["typing"].kind == "import" and facts.bindings["ys"].kind == "from"
    assert facts.bindings["xs"].previous is not None


def test_scripts_in_a_module_without_dagster():
    facts = _facts("RECORDS = []\nfor n in NAMES:\n    RECORDS.append(Record(n))\n", mentions_dagster=False)
    assert facts.bindings["RECORDS"].kind == "script"


def test_a_while_loop_or_try_in_a_script_is_opaque():
    statements = _script("x = 0\nwhile x < 3:\n    x = x + 1\n", "x")
    assert statements[1] == ("opaque", "a while loop", ("x",))
    statements = _script("try:\n    import yaml\nexcept ImportError:\n    yaml = None\n", "yaml")
    assert statements == (("opaque", "a try block", ("yaml",)),)


def test_a_method_body_is_kept_but_not_scanned_as_a_definition():
    method = _facts(CLASSES).bindings["Endpoint"].value.method_facts[0]
    assert method.body is not None and method.storage == () and method.resource_attrs == ()
