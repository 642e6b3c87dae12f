"""Typed unknowns: what a function body could create (extract/creations.py), what a Dagster name
builds, and what a code location's gaps let the rules judge (resolve/gaps.py, resolve/locations.py)."""
from __future__ import annotations

import ast
import textwrap

import pytest

from asset_lint.extract.creations import ANYTHING, summarise_creations
from asset_lint.findings import Site
from asset_lint.resolve.gaps import Gap, could_be_by_name, narrowed
from asset_lint.resolve.locations import CodeLocation
from asset_lint.resolve.values import Unknown


def summary(source: str) -> tuple:
    node = ast.parse(textwrap.dedent(source)).body[0]
    creates, calls = summarise_creations(node)
    return set(creates), calls


@pytest.mark.parametrize("source, creates, calls", [
    ("def f(assets):\n    return build_column_schema_change_checks(assets=assets)\n", {"checks"}, ()),
    ("def f(t):\n    c = my_op.configured({'t': t}, name=t)\n    @job(name=t)\n    def j():\n        c()\n"
     "    return j\n", {"ops", "jobs"}, ()),
    ("def f(items):\n    out = []\n    for i in items:\n        out.append(make_one(i))\n    return out\n",
     set(), ("make_one",)),
    ("def f(x):\n    return x\n", {ANYTHING}, ()),
    ("def f(n):\n    @asset(name=n)\n    def a():\n        return pd.read_csv(n)\n    return with_resources([a], {})\n",
     {"assets", "checks"}, ()),
    ("def f():\n    return helpers.build(1) + [AssetSpec('a')]\n", {"assets"}, ("helpers.build",)),
])
def test_what_a_function_could_create(source, creates, calls):
    assert summary(source) == (creates, calls)


def test_dagster_names():
    assert could_be_by_name("build_last_update_freshness_checks") == {"checks"}
    assert could_be_by_name("build_sensor_for_freshness_checks") == {"other"}
    assert could_be_by_name("AssetSpec") == {"assets"}
    assert could_be_by_name("load_assets_from_modules") == {"assets"}
    assert could_be_by_name("with_resources") == frozenset()
    assert could_be_by_name("sling_assets") == frozenset()


def test_a_definitions_argument_narrows_an_unknown():
    assert narrowed(frozenset(), "jobs") == {"jobs"}
    assert narrowed(frozenset({"assets", "checks"}), "checks") == {"checks"}
    assert narrowed(frozenset({"ops"}), "assets") == {"assets", "checks"}   # not what it can hold: the argument's


def test_a_location_judges_what_its_gaps_cannot_hold():
    location = CodeLocation("defs", "defs", "pyproject.toml")
    assert location.complete and location.checks_complete and location.jobs_known and location.definitions_known
    location.gaps.append(Gap("checks factory", Site("defs/c.py", (1, 0, 1, 0)), frozenset({"checks"})))
    assert location.complete and not location.checks_complete and not location.may_produce(("orders",))
    location.gaps.append(Gap("raw tables", None, frozenset({"assets"}), ("raw",)))
    assert not location.complete and location.jobs_known and location.definitions_known
    assert location.may_produce(("raw", "orders")) and not location.may_produce(("marts", "orders"))
    assert location.may_produce_under(("raw", "x")) and not location.may_produce_under(("marts",))
    location.gaps.append(Gap("a Definitions part", None))
    assert not location.jobs_known and not location.definitions_known and location.may_produce(("marts", "orders"))


def test_unknown_keeps_positional_construction():
    unknown = Unknown("factory f")
    assert (unknown.reason, unknown.could_be, unknown.prefix, unknown.site) == ("factory f", frozenset(), (), None)
