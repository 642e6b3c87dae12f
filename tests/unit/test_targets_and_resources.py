"""DG016 and DG017 edge cases: what is judged, and where the rules must stay silent (semantics R6, R7.3)."""
from __future__ import annotations

from projects import codes_of, make_project

DEFS = {"pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n'}


def _codes(tmp_path, source: str, extra: dict = None) -> list:
    make_project(tmp_path, {**DEFS, **(extra or {}), "defs/definitions.py": source})
    return [(line, code) for _, line, code in codes_of(tmp_path) if code in ("DG016", "DG017")]


def test_selection_strings_beyond_one_key_are_not_judged(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import AssetKey, Definitions, asset, define_asset_job

        @asset
        def orders(): ...

        jobs = [define_asset_job("a", selection="*nope"), define_asset_job("b", selection="tag:x"),
                define_asset_job("c", selection=["orders", AssetKey("nope")]),
                define_asset_job("d", selection="key:no*")]
        defs = Definitions(assets=[orders], jobs=jobs)
    ''') == []


def test_selection_strings_split_on_slash(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import Definitions, asset, define_asset_job

        @asset(key="raw/orders")
        def orders(): ...

        job = define_asset_job("j", selection="raw/orders")
        defs = Definitions(assets=[orders], jobs=[job])
    ''') == [(6, "DG016")]


def test_job_names_unknown_when_a_job_list_cannot_be_followed(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import Definitions, ScheduleDefinition, asset

        from .jobs import make_jobs

        @asset
        def orders(): ...

        nightly = ScheduleDefinition(job_name="orders_job", cron_schedule="0 3 * * *")
        defs = Definitions(assets=[orders], jobs=make_jobs("x"), schedules=[nightly])
    ''', {"defs/jobs.py": "import os\n\nfrom dagster import define_asset_job\n\n\ndef make_jobs(n):\n"
                          "    return [define_asset_job(os.environ['ENV'] + n + '_job')]\n"}) == []


def test_asset_sensor_on_a_declared_external_key_is_silent(tmp_path):
    source = '''
        from dagster import AssetKey, Definitions, RunRequest, asset, asset_sensor, define_asset_job

        @asset
        def orders(): ...

        job = define_asset_job("j", selection=[orders])

        @asset_sensor(asset_key=AssetKey(["other_repo", "events"]), job=job)
        def on_events(context, event):
            yield RunRequest()

        defs = Definitions(assets=[orders], jobs=[job], sensors=[on_events])
    '''
    assert _codes(tmp_path / "a", source) == [(9, "DG016")]
    settings = {"pyproject.toml": DEFS["pyproject.toml"] + '\n[tool.asset-lint]\nexternal-assets = ["other_repo/*"]\n'}
    assert _codes(tmp_path / "b", source, settings) == []


def test_requirements_that_cannot_be_read_are_not_judged(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import Definitions, asset

        from .keys import KEYS, RESOURCES

        @asset(required_resource_keys=KEYS)
        def orders(context):
            return context.resources.warehouse

        @asset(required_resource_keys={"slack"}, resource_defs=RESOURCES)
        def customers(context):
            return context.resources.slack

        @asset
        def payments(context):
            return context.resources._asdict(), context.resources.original_resource_dict

        defs = Definitions(assets=[orders, customers, payments])
    ''', {"defs/keys.py": "import os\nKEYS = set(os.environ)\nRESOURCES = dict(os.environ)\n"}) == []


def test_resources_merged_from_several_definitions(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import Definitions, ResourceDefinition, asset

        @asset(required_resource_keys={"warehouse", "slack"})
        def orders(context): ...

        defs = Definitions.merge(
            Definitions(assets=[orders], resources={"warehouse": ResourceDefinition.none_resource()}),
            Definitions(resources={"slak": ResourceDefinition.none_resource()}),
        )
    ''') == [(4, "DG017")]


def test_ops_outside_jobs_and_job_resource_defs(tmp_path):
    assert _codes(tmp_path, '''
        from dagster import Definitions, ResourceDefinition, job, op

        @op(required_resource_keys={"slack"})
        def unused(context): ...

        @op(required_resource_keys={"warehouse"})
        def load(context): ...

        @job(resource_defs={"slack": ResourceDefinition.none_resource()})
        def nightly():
            load()

        defs = Definitions(jobs=[nightly], resources={"warehouse": ResourceDefinition.none_resource()})
    ''') == [(7, "DG017")]
