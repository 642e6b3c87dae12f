"""The run, end to end: discover -> extract -> resolve -> graph -> rules -> filter.

`analyse` is the entry point (the CLI and the flake8 plugin call it). A run sets up (root,
settings, code locations), discovers the files, extracts those the facts store cannot vouch for
(extraction_pool.py), and then either reuses the last run's findings, when every input is unchanged
(cache/last_run.py), or computes: resolve (resuming the last resolve where it can,
resolve/snapshot.py), graphs, rules; then it saves the cache and filters the findings.

Two hashes name a file (cache/facts_store.py): `sha256`, of its bytes, and `facts_digest`, of
the facts extracted from it; `sha256_by_path` and `facts_digest_by_path` hold them for a run.
"""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from asset_lint import codes as rule_modules
from asset_lint.cache import last_run
from asset_lint.cache.project_cache import ProjectCache
from asset_lint.config import ConfigError, Settings, load_settings
from asset_lint.discover import discover, discover_config_files, find_project_root
from asset_lint.extract.facts import FileFacts, SyntaxProblem
from asset_lint.extraction_pool import FULL_FACTS, FullFacts, extract_files
from asset_lint.filter import enabled_codes, keep
from asset_lint.findings import Finding, Site

MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are generated data, not Dagster code: skipped with a notice


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
    resumed: Optional[tuple] = None   # (modules evaluated again, modules) when the last resolve was resumed
    partial: list = field(default_factory=list)   # code locations analysed only partly (resolve.gaps.PartialLocation)


def rule_defaults() -> dict:
    """code -> on by default, from the catalogue (the single source of rule metadata)."""
    try:
        from asset_lint.catalogue import defaults
        return defaults()
    except Exception:  # a broken catalogue must not stop linting; every rule then runs
        return {}


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


def _unreadable(source, reason: str) -> FileFacts:
    """Facts of a file that cannot be read: what it defines is unknown."""
    return FileFacts(source.rel, source.module, source.is_package, syntax_error=SyntaxProblem(reason, 1, 0))


def run_rules(project, graphs: list, settings: Settings) -> tuple:
    """(findings, internal errors) of every rule: selection is a filter applied afterwards, so one
    run's findings serve any selection later."""
    from asset_lint.rules import ALL, RuleContext
    context = RuleContext(project, graphs, settings)
    findings, internal = [], []
    for rule in ALL:
        try:
            findings.extend(rule.check(context))
        except Exception as exc:  # one rule's bug must not hide the other rules' findings
            internal.append(_internal_finding("", (1, 0, 1, 0), exc, rule.CODE))
    return findings, internal


def analyse(paths: Sequence[str], overrides: Optional[dict] = None, root: Optional[Path] = None,
            sources: Optional[dict] = None, apply_noqa: bool = True, use_cache: bool = True,
            locations: Sequence[str] = ()) -> Analysis:
    """Lint the project that holds `paths`; findings are limited to those paths.

    `sources` maps a project-relative path to text that replaces the file on disk (an editor's
    unsaved buffer); `apply_noqa=False` leaves `# noqa`, and the choice between overlapping findings
    (filter.SUPERSEDES), to the caller: flake8 applies its own noqa and selection.
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
    setup = _Setup.read(paths, overrides, root, locations)
    files, notices, signatures = _discover_files(setup, sources or {})
    run = _Run(setup, files, dict(sources or {}), use_cache, locations)
    run.extract(signatures)
    del signatures  # the cache keeps what it needs: on large projects this is tens of MB
    wanted = setup.wanted()
    # the defaults matter only without an explicit selection (flake8 always passes one)
    defaults = rule_defaults() if setup.settings.select is None else {}
    enabled = enabled_codes(setup.settings, rule_modules.KNOWN_CODES, defaults) | {rule_modules.INTERNAL_ERROR}
    reused = run.reused_findings()
    if reused is not None:
        noqa = run.noqa_of_every_file() if apply_noqa else {}
        run.cache.save(run.live)
        kept = keep(reused, setup.settings, enabled, noqa, wanted, apply_noqa)
        return Analysis(setup.root, setup.settings, kept, None, [], len(files), notices,
                        partial=run.cache.last_run.partial_locations())
    project, resumed = run.resolve()
    noqa = {rel: f.noqa for rel, f in run.facts_by_path.items() if f.noqa} if apply_noqa else {}
    findings = run.findings(project)
    run.save(project, findings)
    kept = keep(findings, setup.settings, enabled, noqa, wanted, apply_noqa)
    from asset_lint.resolve.gaps import partial_locations
    return Analysis(setup.root, setup.settings, kept, project, run.graphs, len(files), notices, resumed,
                    partial_locations([graph.location for graph in run.graphs]))


AUTOLOAD = "autoload:"   # marks a --autoload-defs-module item among the -m ones


def _command_line_spec(item: str):
    """A -m [NAME=]MODULE item, or an AUTOLOAD-marked one: a defs folder loaded as load_from_defs_folder does."""
    from asset_lint.resolve.location_config import LocationSpec
    kind = "defs_folder" if item.startswith(AUTOLOAD) else "module"
    item = item[len(AUTOLOAD):] if kind == "defs_folder" else item
    return LocationSpec(*(item.split("=", 1) if "=" in item else (item, item)), kind, "command line")


@dataclass
class _Setup:
    """What a run knows before it reads a source file: the project, its settings and code locations."""

    root: Path
    settings: Settings
    targets: list
    config_files: list
    location_specs: list
    extra_roots: list
    dg_projects: list

    @classmethod
    def read(cls, paths, overrides, root, locations) -> _Setup:
        """The project holding `paths`, with the code locations named on the command line, if any."""
        from asset_lint.resolve import dg_projects_of
        from asset_lint.resolve.location_config import read_location_specs
        targets = [Path(p) for p in (paths or ["."])]
        for target in targets:
            if not target.exists():
                raise ConfigError(f"{target}: no such file or directory")
        root = (root or find_project_root(targets[0])).resolve()
        settings = load_settings(root, rule_modules.KNOWN_CODES).with_overrides(**(overrides or {}))
        config_files = discover_config_files(root, settings.exclude)
        location_specs, extra_roots = read_location_specs(root, config_files)
        if locations:
            dg_specs = [s for s in location_specs if s.kind == "dg_project"]
            location_specs = [_command_line_spec(item) for item in locations]
            dg_projects = dg_projects_of(dg_specs)
        else:
            dg_projects = dg_projects_of(location_specs)
        return cls(root, settings, targets, config_files, location_specs, extra_roots, dg_projects)

    def wanted(self) -> Optional[list]:
        """The paths findings are limited to; None for the whole project."""
        if all(t.resolve() == self.root for t in self.targets):
            return None
        return [os.path.relpath(t.resolve(), self.root).replace(os.sep, "/") for t in self.targets]


def _discover_files(setup: _Setup, sources: dict) -> tuple:
    """(the files to analyse, notices of those skipped, path -> (mtime_ns, size)): one stat per file
    serves the size check and the cache."""
    files, notices, signatures = [], [], {}
    for source in discover(setup.root, setup.settings.exclude, setup.extra_roots):
        try:
            stat = os.stat(source.path)
        except OSError:
            notices.append(f"{source.rel}: skipped, cannot be read (a broken symlink?)")
            continue
        size = stat.st_size
        signatures[source.rel] = (stat.st_mtime_ns, size)
        if size > MAX_FILE_BYTES and source.rel not in sources:
            notices.append(f"{source.rel}: skipped, {size / 1048576:.1f} MB is more than asset-lint reads "
                           f"({MAX_FILE_BYTES // 1048576} MB); what it defines is unknown")
            continue
        files.append(source)
    return files, notices, signatures


class _Run:
    """One run's state between its steps: the facts of every file, the two hashes of each (see the
    module docstring), the cache, and whether this run's result may be kept for the next one."""

    def __init__(self, setup: _Setup, files: list, sources: dict, use_cache: bool, locations: Sequence[str]) -> None:
        self.setup, self.files, self.sources, self.use_cache = setup, files, sources, use_cache
        self.internal: list = []
        self.cache = ProjectCache(setup.root, enabled=use_cache)
        self.facts_by_path: dict = {}         # None where only the index vouches, until loaded
        self.facts_digest_by_path: dict = {}  # None until the facts are written, for those the pool extracted
        self.sha256_by_path: dict = {}
        self.frame = last_run.frame(setup.root, setup.settings, files, setup.config_files, locations) \
            if use_cache else ""
        self.reusable = use_cache and not sources  # an editor's unsaved buffer is never kept
        self.extract_in_full = FullFacts(setup.root, sources, self.cache.facts, self.sha256_by_path)
        self.capturing = False   # whether this run keeps a resolved snapshot for the next one
        self.graphs: list = []

    def live(self, key: str) -> bool:
        """Whether a cache key is still wanted: every file, and the full facts of prefiltered ones."""
        return key in self.facts_by_path or (key.endswith(FULL_FACTS) and key[:-len(FULL_FACTS)] in self.facts_by_path)

    def extract(self, signatures: dict) -> None:
        """Every file's facts, or None where the facts store vouches for the file by its stat or
        its bytes: those load only if a run needs them (a run whose every input is unchanged does not)."""
        import hashlib
        from asset_lint.cache.facts_store import facts_digest
        from asset_lint.extract import extract_source
        store, pending = self.cache.facts, []
        for source in self.files:
            rel = source.rel
            if rel in self.sources:
                data = self.sources[rel]
                facts = self.facts_by_path[rel] = extract_source(data, rel, source.module, source.is_package)
                self.facts_digest_by_path[rel], self.sha256_by_path[rel] = facts_digest(facts), \
                    hashlib.sha256(data).hexdigest()
                continue
            sha256 = store.fresh_sha256(source, signatures.get(rel))
            if sha256 is not None:
                self.facts_by_path[rel], self.sha256_by_path[rel] = None, sha256
                self.facts_digest_by_path[rel] = store.known_facts_digest(source)
            else:
                pending.append((source, store.known_sha256(source)))
        if pending:
            # facts digests now only if a last run could be reused: else the cache takes them as it writes the facts
            for (source, _), extracted in zip(pending, self._extracted(pending, self.cache.last_run.exists)):
                self._take(source, extracted)

    def _extracted(self, pending: list, with_digest: bool = True) -> list:
        results, failures = extract_files(pending, with_digest)
        self.internal.extend(_internal_finding(rel, (1, 0, 1, 0), exc) for rel, exc in failures)
        return results

    def _take(self, source, extracted) -> None:
        """One extracted file's facts and hashes, recorded in the facts store."""
        store, facts, facts_digest = self.cache.facts, extracted.facts, extracted.facts_digest
        if extracted.read_error:
            facts, facts_digest = _unreadable(source, f"cannot read file ({extracted.read_error})"), ""
        elif facts is None:  # same bytes as the cached entry: only its stat changed
            store.restamp(source, extracted.signature)
            facts_digest = store.known_facts_digest(source)
        elif extracted.sha256:
            store.record(source, extracted)
        self.facts_by_path[source.rel], self.facts_digest_by_path[source.rel] = facts, facts_digest
        self.sha256_by_path[source.rel] = extracted.sha256 or ""

    def reused_findings(self) -> Optional[list]:
        """The last run's raw findings, when every input is unchanged."""
        if not self.use_cache or self.sources or self.internal:
            return None
        fingerprint = last_run.fingerprint(self.frame, self.files, self.facts_digest_by_path)
        if not fingerprint:
            return None
        return self.cache.last_run.findings_if_unchanged(fingerprint, self.sha256_by_path)

    def noqa_of_every_file(self) -> dict:
        """path -> `# noqa` lines, from the index where the facts were not loaded."""
        return {rel: (f.noqa if f is not None else self.cache.facts.noqa(rel)) for rel, f in self.facts_by_path.items()}

    def load_vouched(self, files: list) -> None:
        """Fill in the facts of files the index vouched for, from the facts file (or by extracting).

        A file whose facts turn out to differ from what the index said changed meanwhile: the
        run's fingerprint no longer describes its inputs, and this run is not kept.
        """
        for source in files:
            if self.facts_by_path.get(source.rel) is not None:
                continue
            facts = self.cache.facts.facts_for(source.rel, self.facts_digest_by_path[source.rel])
            if facts is None:
                extracted, = self._extracted([(source, None)])
                facts = extracted.facts
                if facts is None:
                    facts = _unreadable(source, f"cannot read file ({extracted.read_error})")
                elif extracted.sha256:
                    self.cache.facts.record(source, extracted)
                if extracted.facts_digest != self.facts_digest_by_path[source.rel]:
                    self.reusable = False
            self.facts_by_path[source.rel] = facts

    def resumable(self):
        """(snapshot, changed paths) when the last resolve of this project can be resumed, else (None, None).

        Unchanged files take the snapshot's facts (its values point into them); changed ones are this
        run's, loaded from the cache where the index vouched for them."""
        from asset_lint.resolve import snapshot as snapshots
        blob = self.cache.read_snapshot() if self.cache.warm and len(self.files) <= snapshots.MAX_FILES else None
        snapshot = snapshots.load(blob, self.frame) if blob is not None else None
        if snapshot is None or snapshot.facts.keys() != self.facts_by_path.keys():
            return None, None
        changed = {rel for rel in self.facts_by_path
                   if rel in self.sources or self.sha256_by_path.get(rel) != snapshot.sha256_by_path.get(rel)}
        for rel in self.facts_by_path:
            if rel not in changed:
                self.facts_by_path[rel] = snapshot.facts[rel]
        self.load_vouched([s for s in self.files if s.rel in changed])
        return snapshot, changed

    def resolve(self) -> tuple:
        """(the resolved project, (modules evaluated again, modules) when the last resolve was resumed)."""
        from asset_lint.resolve import build_project
        from asset_lint.resolve import snapshot as snapshots
        snapshot, changed = self.resumable() if self.use_cache else (None, None)
        if snapshot is None:
            self.load_vouched(self.files)
        stale, guarded = frozenset(), None
        if snapshot is not None:
            self.extract_in_full.reread.update((rel, sha256) for rel, sha256 in snapshot.reread.items()
                                               if rel not in changed)
            changed_modules = {self.facts_by_path[rel].module for rel in changed if self.facts_by_path[rel].module}
            stale = frozenset(snapshots.stale_modules(snapshot, changed_modules))
            guarded = snapshots.guarded_names(snapshot, stale)
            if guarded is None:
                snapshot = None
        # keep a snapshot for the next run: not on a cold run (on CI the cache is thrown away), nor
        # with an editor's unsaved buffer; again when most modules had to be evaluated anew
        fresh_ok = self.use_cache and not self.sources and not self.internal
        self.capturing = fresh_ok and self.cache.warm and len(self.files) <= snapshots.MAX_FILES \
            and (snapshot is None or len(stale) > snapshots.REWRITE_SHARE * len(self.files))
        setup = self.setup
        project = build_project(setup.root, self.facts_by_path, setup.location_specs, setup.dg_projects,
                                setup.settings.extra_decorators(), self.extract_in_full, snapshot, stale, guarded,
                                self.capturing)
        if snapshot is not None and project.evaluator.guard_tripped:
            # a changed module now reaches a cycle whose cut came from the snapshot: a fresh run
            # might enter (and cut) it elsewhere; the next run resumes a snapshot of this one
            snapshot, self.capturing = None, fresh_ok
            project = build_project(setup.root, self.facts_by_path, setup.location_specs, setup.dg_projects,
                                    setup.settings.extra_decorators(), self.extract_in_full, track=self.capturing)
        return project, ((len(stale), len(project.evaluator.modules)) if snapshot is not None else None)

    def findings(self, project) -> list:
        """Every finding of a computed run (graphs, then rules), unfiltered, internal errors last."""
        from asset_lint.graph import build_graphs
        findings = [_syntax_finding(f) for f in self.facts_by_path.values()
                    if f.syntax_error and f.syntax_error.message != "internal error"]
        self.internal.extend(_internal_finding(rel, pos, exc) for rel, pos, exc in project.internal_errors)
        self.graphs = build_graphs(project)
        rule_findings, rule_errors = run_rules(project, self.graphs, self.setup.settings)
        findings.extend(rule_findings)
        self.internal.extend(rule_errors)
        findings.extend(self.internal)
        return findings

    def save(self, project, findings: list) -> None:
        """The facts, the run when it may be reused, and the resolved snapshot, for the next run."""
        from asset_lint.resolve import snapshot as snapshots
        reread = self.extract_in_full.reread
        # the snapshot to write for the next run: the resolved values (never rule output)
        resolved = snapshots.capture(project, self.frame, self.sha256_by_path, reread) \
            if self.capturing and not self.internal else None
        if self.reusable and self.extract_in_full.reusable and not self.internal:
            from asset_lint.resolve.gaps import partial_locations
            result = (last_run.stamped(project.data_files), findings,
                      partial_locations([graph.location for graph in self.graphs]))

            def fingerprint_of(facts_digest_of) -> Optional[str]:
                """Taken once the cache has digested the facts the pool extracted."""
                known = {rel: facts_digest if facts_digest is not None else facts_digest_of(rel)
                         for rel, facts_digest in self.facts_digest_by_path.items()}
                return last_run.fingerprint(self.frame, self.files, known)

            self.cache.save(self.live, fingerprint_of, result, reread)
        else:
            self.cache.save(self.live)
        if resolved is not None:
            self.cache.write_snapshot(resolved)
