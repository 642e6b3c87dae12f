"""The pipeline, end to end: discover -> extract -> resolve -> graph -> rules -> filter."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from asset_lint import rules as rule_modules
from asset_lint.cache import FactsCache
from asset_lint.config import ConfigError, Settings, load_settings
from asset_lint.discover import discover, discover_config_files, find_project_root
from asset_lint.extract import extract_source
from asset_lint.extract.facts import FileFacts, SyntaxProblem
from asset_lint.filter import enabled_codes, keep
from asset_lint.findings import Finding, Site


@dataclass
class Analysis:
    """Everything one run computed: findings (already filtered), the project and its graphs."""

    root: Path
    settings: Settings
    findings: list
    project: object = None
    graphs: list = field(default_factory=list)
    files: int = 0
    notices: list = field(default_factory=list)   # things skipped on purpose, printed to stderr


def rule_defaults() -> dict:
    """code -> on by default, from the catalogue (the single source of rule metadata)."""
    try:
        from asset_lint.catalogue import load_catalogue
        return {code: doc.default for code, doc in load_catalogue().items()}
    except Exception:  # a broken catalogue must not stop linting; every rule then runs
        return {}


def _read(path: Path) -> tuple:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", exc.strerror or type(exc).__name__


def _syntax_finding(facts: FileFacts) -> Finding:
    problem: SyntaxProblem = facts.syntax_error
    return Finding.at(Site(facts.rel, (problem.line, problem.col, problem.line, problem.col)),
                      rule_modules.INVALID_SYNTAX, f"cannot parse this file: {problem.message}; asset-lint "
                      "treats what it defines as unknown", identity=facts.rel)


def _internal_finding(rel: str, pos, exc: Exception, rule: str = "") -> Finding:
    import traceback
    reason = f"{type(exc).__name__}: {exc}"[:200]
    return Finding(rule_modules.INTERNAL_ERROR, Site(rel, tuple(pos)),
                   f"asset-lint failed {'in rule ' + rule if rule else 'on this file'} ({reason}); "
                   "the rest of the project was analysed", identity=rel or rule,
                   detail="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


PARALLEL_THRESHOLD = 400  # files to extract before a process pool pays for its start-up
MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are generated data, not Dagster code: skipped with a notice


def _extract_serial(root: Path, use_cache: bool, pending: list, internal: list) -> dict:
    cache = FactsCache(root, enabled=use_cache)
    results = {}
    for source in pending:
        try:
            results[source.rel] = cache.facts(source, lambda path=source.path: _read(path))
        except Exception as exc:  # asset-lint's own bug on this file: report it, analyse the rest
            internal.append(_internal_finding(source.rel, (1, 0, 1, 0), exc))
            results[source.rel] = (FileFacts(source.rel, source.module, source.is_package,
                                             syntax_error=SyntaxProblem("internal error", 1, 0)), None)
    return results


def _extract_pending(root: Path, use_cache: bool, pending: list, internal: list) -> dict:
    """Extract what the cache could not vouch for: serially, or on a pool sized to the cores (same output)."""
    workers = min(int(os.environ.get("ASSET_LINT_JOBS", 0)) or os.cpu_count() or 1, 8)
    if len(pending) < PARALLEL_THRESHOLD or workers < 2:
        return _extract_serial(root, use_cache, pending, internal)
    from concurrent.futures import ProcessPoolExecutor
    from asset_lint.cache import extract_chunk
    size = max(50, len(pending) // (workers * 4))
    chunks = [pending[i:i + size] for i in range(0, len(pending), size)]
    results = {}
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk, outcome in zip(chunks, pool.map(extract_chunk, [root] * len(chunks),
                                                       [use_cache] * len(chunks), chunks)):
                results.update({s.rel: r for s, r in zip(chunk, outcome)})
    except Exception:  # a worker died (or pools are unavailable here): do it serially, with DG999s
        return _extract_serial(root, use_cache, pending, internal)
    return results


def analyse(paths: Sequence[str], overrides: Optional[dict] = None, root: Optional[Path] = None,
            sources: Optional[dict] = None, apply_noqa: bool = True, use_cache: bool = True,
            locations: Sequence[str] = ()) -> Analysis:
    """Lint the project that holds `paths`; findings are limited to those paths.

    `sources` maps a project-relative path to text that replaces the file on disk (an editor's
    unsaved buffer); `apply_noqa=False` leaves `# noqa` to the caller (flake8 applies its own).
    `locations` ("NAME=MODULE" or "MODULE") name the code locations, as `dagster dev -m` does,
    instead of the ones the project's config files declare.
    """
    # Analysis builds many small objects and frees almost none until it ends: the cyclic garbage
    # collector would rescan them over and over (more than half the run time on large projects).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(paths, overrides, root, sources, apply_noqa, use_cache, locations)
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyse(paths, overrides, root, sources, apply_noqa, use_cache, locations) -> Analysis:
    from asset_lint.graph import build_graphs
    from asset_lint.resolve import build_project, dg_projects_of
    from asset_lint.resolve.locations import read_location_specs

    targets = [Path(p) for p in (paths or ["."])]
    for target in targets:
        if not target.exists():
            raise ConfigError(f"{target}: no such file or directory")
    root = (root or find_project_root(targets[0])).resolve()
    settings = load_settings(root, rule_modules.KNOWN_CODES).with_overrides(**(overrides or {}))
    config_files = discover_config_files(root, settings.exclude)
    location_specs, extra_roots = read_location_specs(root, config_files)
    if locations:
        from asset_lint.resolve.locations import LocationSpec
        dg_specs = [s for s in location_specs if s.kind == "dg_project"]
        location_specs = [LocationSpec(*(item.split("=", 1) if "=" in item else (item, item)), "module", "command line")
                          for item in locations]
        dg_projects = dg_projects_of(dg_specs)
    else:
        dg_projects = dg_projects_of(location_specs)
    files, notices = [], []
    for source in discover(root, settings.exclude, extra_roots):
        try:
            size = source.path.stat().st_size
        except OSError:
            notices.append(f"{source.rel}: skipped, cannot be read (a broken symlink?)")
            continue
        if size > MAX_FILE_BYTES and source.rel not in (sources or {}):
            notices.append(f"{source.rel}: skipped, {size / 1048576:.1f} MB is more than asset-lint reads "
                           f"({MAX_FILE_BYTES // 1048576} MB); what it defines is unknown")
            continue
        files.append(source)
    sources = dict(sources or {})
    internal: list = []
    cache = FactsCache(root, enabled=use_cache)
    results: dict = {}
    pending = []
    for source in files:
        if source.rel in sources:
            results[source.rel] = (extract_source(sources.pop(source.rel), source.rel, source.module,
                                                  source.is_package), None)
            continue
        facts = cache.fresh(source)
        if facts is not None:
            results[source.rel] = (facts, None)
        else:
            pending.append(source)
    results.update(_extract_pending(root, use_cache, pending, internal))
    facts_by_rel: dict = {}
    findings: list = []
    for source in files:
        facts, error = results[source.rel]
        if error:
            facts = FileFacts(source.rel, source.module, source.is_package,
                              syntax_error=SyntaxProblem(f"cannot read file ({error})", 1, 0))
        facts_by_rel[source.rel] = facts
        if facts.syntax_error and facts.syntax_error.message != "internal error":
            findings.append(_syntax_finding(facts))
    project = build_project(root, facts_by_rel, location_specs, dg_projects,
                            settings.extra_decorators())
    internal.extend(_internal_finding(rel, pos, exc) for rel, pos, exc in project.internal_errors)
    graphs = build_graphs(project)
    enabled = enabled_codes(settings, rule_modules.KNOWN_CODES, rule_defaults()) | {rule_modules.INTERNAL_ERROR}
    for rule in rule_modules.ALL:
        if rule.CODE in enabled:
            try:
                findings.extend(rule.check(project, graphs, settings))
            except Exception as exc:  # one rule's bug must not hide the other rules' findings
                internal.append(_internal_finding("", (1, 0, 1, 0), exc, rule.CODE))
    findings.extend(internal)
    wanted = None
    if not all(t.resolve() == root for t in targets):
        wanted = [os.path.relpath(t.resolve(), root).replace(os.sep, "/") for t in targets]
    noqa = {rel: f.noqa for rel, f in facts_by_rel.items() if f.noqa} if apply_noqa else {}
    return Analysis(root, settings, keep(findings, settings, enabled, noqa, wanted), project, graphs, len(files),
                    notices)
