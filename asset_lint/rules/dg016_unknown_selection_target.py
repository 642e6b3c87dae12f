"""DG016 unknown-selection-target. Prose and examples: rules/DG016-unknown-selection-target.md."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from asset_lint.dagster_api_table import SELECTABLE_KINDS
from asset_lint.findings import Finding, Site
from asset_lint.messages import (
    SelectedDefinitionMissing, UnknownSelectedGroup, UnknownSelectedKey,
    UnknownSelectedPrefix, UnknownSensorAsset, UnknownTriggerJob)
from asset_lint.resolve.values import constant_str
from asset_lint.resolve.keys import coerce_key, key_from_user_string, user_string
from asset_lint.resolve.values import AssetJob, Call, Definition, JobDef, KeyV, Seq, Unknown
from asset_lint.rules.context import RuleContext

CODE = "DG016"
# Definitions a selection may list by object (R6.1); anything else there fails at import on its own.

# A selection string that is one asset key: Dagster resolves it exactly and fails on a miss (R6.1, R6.2).
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*")
_KEY_CLAUSE = re.compile(r'key:"?([A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*)"?')
_GROUP_CLAUSE = re.compile(r'group:"?([A-Za-z0-9_]+)"?')


def _string_targets(text: str) -> list:
    """What one selection string names; clauses that match nothing leave a silently empty job."""
    text = text.strip()
    if _PLAIN_KEY.fullmatch(text):
        return [("key", key_from_user_string(text))]
    match = _KEY_CLAUSE.fullmatch(text)
    if match:
        return [("key_clause", key_from_user_string(match.group(1)))]
    match = _GROUP_CLAUSE.fullmatch(text)
    if match:
        return [("group", match.group(1))]
    return []   # wildcards, graph operators, tags...: not judged


def _selection_key(value) -> Optional[tuple]:
    """AssetSelection.assets / .keys arguments: strings split on '/', other coercibles as keys (R6.1)."""
    text = constant_str(value)
    if text is not None:
        return key_from_user_string(text)
    return coerce_key(value) if isinstance(value, (KeyV, Seq)) else None


def selection_targets(selection, fallback: Site) -> list:
    """[(kind, target, site)] for the parts of a selection asset-lint can name exactly.

    kind: key (a miss fails to load), key_clause / group / prefix (a miss is a silent empty job),
    definition (a Definition object selected by reference).
    """
    text = constant_str(selection)
    if text is not None:
        return [(kind, target, fallback) for kind, target in _string_targets(text)]
    if isinstance(selection, Seq):
        kinds = {"str" if constant_str(item) is not None else type(item).__name__ for item in selection.items}
        if len(kinds) > 1:
            return []   # a mixed list fails at import with its own error (R6.1)
        found = []
        for item in selection.items:
            text = constant_str(item)
            if text is not None:
                found.extend((kind, target, fallback) for kind, target in _string_targets(text))
            elif isinstance(item, KeyV):
                found.append(("key", item.path, fallback))
            elif isinstance(item, Definition) and item.kind in SELECTABLE_KINDS:
                found.append(("definition", item, fallback))
        return found
    if not isinstance(selection, Call):
        return []
    site = selection.site or fallback
    if selection.name in ("AssetSelection.assets", "AssetSelection.keys"):
        found = []
        for arg in selection.args:
            if isinstance(arg, Definition):
                if arg.kind in SELECTABLE_KINDS:
                    found.append(("definition", arg, site))
                continue
            key = _selection_key(arg)
            if key:
                found.append(("key", key, site))
        return found
    if selection.name == "AssetSelection.groups":
        return [("group", constant_str(arg), site) for arg in selection.args if constant_str(arg) is not None]
    if selection.name == "AssetSelection.key_prefixes":
        found = []
        for arg in selection.args:
            text = constant_str(arg)
            prefix = (text,) if text is not None else coerce_key(arg) if isinstance(arg, Seq) else None
            if prefix:
                found.append(("prefix", prefix, site))
        return found
    return []


def _did_you_mean(graph, key: tuple) -> str:
    close = graph.closest_keys(key, limit=3)
    return f"; did you mean {', '.join(repr(user_string(k)) for k in close)}?" if close else ""


def _close_word(word: str, choices) -> str:
    import difflib  # only for a finding (see graph.closest_keys)
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.7)
    return f"; did you mean '{close[0]}'?" if close else ""


def _jobs_of(value) -> list:
    """The job objects a schedule or sensor names (job=, jobs=, target=)."""
    if isinstance(value, (JobDef, AssetJob)):
        return [value]
    if isinstance(value, Seq):
        return [item for item in value.items if isinstance(item, (JobDef, AssetJob))]
    return []


def _check_selection(graph, what: str, job_label: str, selection, site: Site) -> Iterator[Finding]:
    location = graph.location
    groups = {spec.group for spec in location.specs}
    defined = {id(spec.definition) for spec in location.specs}
    for kind, target, where in selection_targets(selection, site):
        if kind == "definition":
            if id(target) in defined or not target.complete or not location.complete:
                continue   # an asset a gap could hold may be this very object
            for spec in target.specs:
                key = user_string(spec.key)
                yield Finding.of(where, SelectedDefinitionMissing(what, key, job_label), identity=key)
        elif kind in ("key", "key_clause") and target not in graph.producers and target not in graph.stubs \
                and not location.may_produce(target):
            key = user_string(target)
            if kind == "key":
                verdict = f"Dagster fails to load it (\"Failed to resolve asset job {job_label}\")"
            else:
                verdict = "Dagster silently builds a job that selects nothing"
            yield Finding.of(where, UnknownSelectedKey(what, key, verdict, _did_you_mean(graph, target)), identity=key)
        elif kind == "group" and None not in groups and target not in groups and location.complete:
            yield Finding.of(where, UnknownSelectedGroup(what, target, _close_word(target, groups)), identity=target)
        elif kind == "prefix" and not any(spec.key[:len(target)] == target for spec in location.specs) \
                and not location.may_produce_under(target):
            prefix = user_string(target)
            yield Finding.of(where, UnknownSelectedPrefix(what, prefix), identity=prefix)


def _check_location(graph, produced_anywhere: set, graphs: list, settings) -> Iterator[Finding]:
    location = graph.location
    jobs, seen = [], set()
    for job in [*location.jobs, *(j for t in location.triggers for j in _jobs_of(t.job))]:
        if id(job) not in seen:
            seen.add(id(job))
            jobs.append(job)
    for job in jobs:
        if isinstance(job, AssetJob) and job.name is not None:
            yield from _check_selection(graph, f"asset job '{job.name}'", job.name, job.selection, job.site)
    names = {job.name for job in jobs}
    # a schedule's or sensor's job object asset-lint cannot evaluate is added under a name it cannot know
    hidden = any(isinstance(item, Unknown) for t in location.triggers
                 for item in (t.job.items if isinstance(t.job, Seq) else (t.job,)))
    names_known = location.jobs_known and None not in names and not hidden
    for trigger in location.triggers:
        label = f"{'schedule' if trigger.kind == 'schedule' else 'sensor'} '{trigger.name}'"
        job_name = constant_str(trigger.job_name)
        if job_name is not None and names_known and job_name not in names:
            definition = "ScheduleDefinition" if trigger.kind == "schedule" else "SensorDefinition"
            yield Finding.of(trigger.site,
                             UnknownTriggerJob(label, job_name, definition, trigger.name, _close_word(job_name, names)),
                             identity=job_name)
        if trigger.job is not None and not _jobs_of(trigger.job) and trigger.name:
            yield from _check_selection(graph, f"{label} target", f"__anonymous_asset_job_{trigger.name}",
                                        trigger.job, trigger.site)
        key = coerce_key(trigger.asset_key) if trigger.asset_key is not None else None
        if key is not None and not any(g.location.may_produce(key) for g in graphs) and key not in produced_anywhere \
                and not settings.is_external(user_string(key)):
            yield Finding.of(trigger.site,
                             UnknownSensorAsset(trigger.name, user_string(key), _did_you_mean(graph, key)),
                             identity=user_string(key))


def check(context: RuleContext) -> Iterator[Finding]:
    """Yield a finding per job, schedule or sensor target no definition of the code location matches (8.28-8.31)."""
    graphs, settings = context.graphs, context.settings
    produced_anywhere = {key for graph in graphs for key in graph.producers}
    for graph in graphs:
        # external-assets: keys of other repositories an asset sensor may watch
        yield from _check_location(graph, produced_anywhere, graphs, settings)
