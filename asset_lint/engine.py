"""The pipeline, end to end: discover -> extract -> resolve -> graph -> rules -> filter."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from asset_lint import codes as rule_modules
from asset_lint.cache import FactsCache, signature_of
from asset_lint.config import ConfigError, Settings, load_settings
from asset_lint.discover import discover, discover_config_files, find_project_root
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
    resumed: Optional[tuple] = None   # (modules evaluated again, modules) when the last resolve was resumed


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


FULL_FACTS = "#full"  # cache key suffix: a prefiltered module's full facts, once something needed them
PARALLEL_THRESHOLD = 400  # files to extract before a process pool pays for its start-up
# up to this many files the pool sends facts as the cache's pickles (about 1 KB a file, kept until
# the cache is written); beyond it, memory matters more than the time this saves
SEND_PICKLED_UP_TO = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are generated data, not Dagster code: skipped with a notice


def _outcomes(pending: list, internal: list, with_digest: bool = True, cache: Optional[FactsCache] = None) -> list:
    """read_and_extract for each (source, known digest): serially, or shared between this process
    and a pool of the other cores. The work is cut into small chunks, all handed to the pool; this
    process takes chunks from the tail for as long as the pool has not started them, so each side
    ends up with the share its speed allows (on a loaded machine, or where pickling the facts back
    is slow, no fixed split is right). with_digest: take facts digests now rather than when the
    facts are written to the cache (which pickles them anyway). cache: the cache the facts will be
    written to, which the pool then pickles this process's share for (PoolPickles)."""
    from asset_lint.cache import extract_chunk, unpickled
    workers = min(int(os.environ.get("ASSET_LINT_JOBS", 0)) or os.cpu_count() or 1, 8)
    if len(pending) >= PARALLEL_THRESHOLD and workers >= 2:
        from concurrent.futures import ProcessPoolExecutor
        size = max(20, len(pending) // (workers * 24))   # small: the last chunks' wait is short
        chunks = [pending[i:i + size] for i in range(0, len(pending), size)]
        reported = len(internal)
        pool = None
        try:
            pool = ProcessPoolExecutor(max_workers=workers - 1)
            send_pickled = len(pending) <= SEND_PICKLED_UP_TO
            futures = [pool.submit(extract_chunk, chunk, with_digest, send_pickled) for chunk in chunks]
            done_here: dict = {}   # chunk index -> (outcomes, internal findings)
            taken: dict = {}       # chunk index -> the pool's outcomes, unpickled
            next_taken = 0

            def take(index: int) -> list:
                """The pool's outcomes of one chunk, waiting for them; its future let go of once taken."""
                result = futures[index].result()
                futures[index] = None
                return list(map(unpickled, result)) if send_pickled else result

            def take_finished() -> None:
                """Unpickle what the pool has finished, in order: here while the pool still extracts,
                not all after (when it would have nothing left to do)."""
                nonlocal next_taken
                while next_taken < len(futures) and next_taken not in done_here and futures[next_taken].done():
                    taken[next_taken] = take(next_taken)
                    next_taken += 1

            for index in range(len(chunks) - 1, -1, -1):
                if not futures[index].cancel():
                    break  # the pool has this chunk and all before it
                mine: list = []
                done_here[index] = (_extract_here(chunks[index], mine, with_digest), mine)
                take_finished()
            outcomes = []
            for index in range(len(chunks)):
                if index in done_here:
                    chunk_outcomes, mine = done_here[index]
                    outcomes.extend(chunk_outcomes)
                    internal.extend(mine)   # in file order, as a serial run reports them
                else:
                    outcomes.extend(taken.pop(index) if index in taken else take(index))
            if cache is not None and cache.enabled and send_pickled and not with_digest and done_here:
                extracted_here = [(source, outcome[2]) for index, (chunk_outcomes, _) in sorted(done_here.items())
                                  for (source, _), outcome in zip(chunks[index], chunk_outcomes)
                                  if outcome[0] is not None and outcome[1] is None]
                cache.pickled_elsewhere = PoolPickles(pool, extracted_here)
                pool = None   # shut down once the cache has taken what it pickled
            return outcomes
        except Exception:  # a worker died (or no pool here): do it serially, reporting the culprit
            del internal[reported:]
        finally:
            if pool is not None:
                pool.shutdown()
    return _extract_here(pending, internal, with_digest)


class PoolPickles:
    """A cold run's facts that this process extracted itself, extracted again and pickled by the
    pool's worker while this process resolves and runs the rules (the worker is idle then), so
    that writing the cache does not pickle them here: a twentieth of a cold run. What the pool has
    not finished when the cache is written gets pickled here after all: this process never waits."""

    CHUNK = 20   # files: what may be pickled twice at most per worker, when the pool is late

    def __init__(self, pool, items: list) -> None:
        from asset_lint.cache import pickle_chunk
        self.pool = pool
        self.futures = [pool.submit(pickle_chunk, items[i:i + self.CHUNK]) for i in range(0, len(items), self.CHUNK)]

    def take(self) -> dict:
        """rel -> (sha256, pickled facts, facts digest) of what the pool has pickled by now."""
        pickled: dict = {}
        for future in self.futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                pickled.update(future.result())
        self.close()
        return pickled

    def close(self) -> None:
        """Cancel what the pool has not started and wait for the chunk it is on (a few milliseconds):
        the console script leaves through os._exit, which would leave the worker behind, holding the
        caller's stdout open."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _extract_here(pending: list, internal: list, with_digest: bool = True) -> list:
    """read_and_extract in this process."""
    from asset_lint.cache import read_and_extract
    outcomes = []
    for source, digest in pending:
        try:
            outcomes.append(read_and_extract(source, digest, with_digest))
        except Exception as exc:  # asset-lint's own bug on this file: report it, analyse the rest
            internal.append(_internal_finding(source.rel, (1, 0, 1, 0), exc))
            outcomes.append((FileFacts(source.rel, source.module, source.is_package,
                                       syntax_error=SyntaxProblem("internal error", 1, 0)), None, "", None, "", None))
    return outcomes


def _extract_all(files: list, sources: dict, cache: FactsCache, internal: list, signatures: dict) -> tuple:
    """(facts by path or None where only the index vouches, facts digest by path (None until the
    facts are written, for those extracted by the pool), sha256 by path).

    Files the cache vouches for by stat, or whose bytes are those of their entry, are not
    extracted; their facts load only if a run needs them (a run whose every input is unchanged
    does not).
    """
    import hashlib
    from asset_lint.cache import facts_digest
    from asset_lint.extract import extract_source
    facts_by_rel, digests, shas, pending = {}, {}, {}, []
    for source in files:
        if source.rel in sources:
            data = sources[source.rel]
            facts = facts_by_rel[source.rel] = extract_source(data, source.rel, source.module, source.is_package)
            digests[source.rel], shas[source.rel] = facts_digest(facts), hashlib.sha256(data).hexdigest()
            continue
        sha = cache.fresh_digest(source, signatures.get(source.rel))
        if sha is not None:
            facts_by_rel[source.rel], shas[source.rel] = None, sha
            digests[source.rel] = cache.known_facts_digest(source)
        else:
            pending.append((source, cache.known_digest(source)))
    # digests now only if a last run could be reused: else the cache takes them as it writes the facts
    outcomes = _outcomes(pending, internal, with_digest=cache.run is not None, cache=cache)
    for (source, _), (facts, error, digest, signature, semantic, blob) in zip(pending, outcomes):
        if error:
            facts = FileFacts(source.rel, source.module, source.is_package,
                              syntax_error=SyntaxProblem(f"cannot read file ({error})", 1, 0))
            semantic = ""
        elif facts is None:  # same bytes as the cached entry: only its stat changed
            cache.restamp(source, signature)
            semantic = cache.known_facts_digest(source)
        elif digest:
            cache.record(source, facts, digest, signature, semantic, blob)
        facts_by_rel[source.rel], digests[source.rel], shas[source.rel] = facts, semantic, digest or ""
    return facts_by_rel, digests, shas


def _load_vouched(files: list, facts_by_rel: dict, digests: dict, cache: FactsCache, internal: list) -> bool:
    """Fill in the facts of files the index vouched for, from the facts file (or by extracting).

    False when a file's facts turned out to differ from what the index said (it changed meanwhile):
    the run's fingerprint no longer describes its inputs.
    """
    still_fingerprinted = True
    for source in files:
        if facts_by_rel.get(source.rel) is None:
            facts = cache.facts_for(source.rel, digests[source.rel])
            if facts is None:
                (facts, error, digest, signature, semantic, blob), = _outcomes([(source, None)], internal)
                if facts is None:
                    facts = FileFacts(source.rel, source.module, source.is_package,
                                      syntax_error=SyntaxProblem(f"cannot read file ({error})", 1, 0))
                elif digest:
                    cache.record(source, facts, digest, signature, semantic, blob)
                # the fingerprint was taken from the index: the file changing meanwhile must not reuse this run
                if semantic != digests[source.rel]:
                    still_fingerprinted = False
            facts_by_rel[source.rel] = facts
    return still_fingerprinted


def _live(facts_by_rel: dict):
    """Whether a cache key is still wanted: every file, and the full facts of prefiltered ones."""
    def live(key: str) -> bool:
        return key in facts_by_rel or (key.endswith(FULL_FACTS) and key[:-len(FULL_FACTS)] in facts_by_rel)
    return live


def _data_files_unchanged(reused: tuple) -> bool:
    """The data files the last run read (dbt manifests) are as they were."""
    return all(signature_of(Path(path)) == signature for path, signature in reused[0])


def _frame(root: Path, settings: Settings, files: list, config_files: list, locations: Sequence[str]) -> str:
    """Everything a run's findings depend on except the files' contents: which files, as which
    modules, the settings that change what the rules compute, and the config files."""
    import hashlib
    from asset_lint import __version__
    from asset_lint.extract.facts import SCHEMA_VERSION
    # only the settings that change what the rules compute; selection and noqa are applied afterwards
    relevant = (settings.external_assets, settings.asset_decorators, settings.op_decorators, settings.exclude)
    h = hashlib.sha256(f"{__version__}|{SCHEMA_VERSION}|{relevant!r}|{sorted(locations)!r}".encode())
    for source in files:
        h.update(f"{source.rel}|{source.module}|{source.is_package}\n".encode())
    for rel in config_files:
        try:
            h.update(rel.encode() + b"|" + (root / rel).read_bytes())
        except OSError:
            h.update(rel.encode() + b"|unreadable")
    return h.hexdigest()


def _fingerprint(root: Path, settings: Settings, files: list, digests: dict, config_files: list,
                 locations: Sequence[str], sources: dict) -> Optional[str]:
    """Everything a run's findings depend on; None when something (an editor buffer) must not be
    reused, or a file's facts digest is not known yet."""
    import hashlib
    if sources or any(digests.get(source.rel) is None for source in files):
        return None
    h = hashlib.sha256(_frame(root, settings, files, config_files, locations).encode())
    for source in files:
        h.update(f"{digests.get(source.rel)}\n".encode())
    return h.hexdigest()


def _resumable(cache: FactsCache, frame: str, facts_by_rel: dict, shas: dict, sources: dict, files: list,
               digests: dict, internal: list):
    """(snapshot, changed paths, still fingerprinted) when the last resolve of this project can be
    resumed, else (None, None, True). Still fingerprinted: as _load_vouched.

    Unchanged files take the snapshot's facts (its values point into them); changed ones are this
    run's, loaded from the cache where the index vouched for them."""
    from asset_lint.resolve import snapshot as snapshots
    blob = cache.read_snapshot() if cache.warm and len(files) <= snapshots.MAX_FILES else None
    snapshot = snapshots.load(blob, frame) if blob is not None else None
    if snapshot is None or snapshot.facts.keys() != facts_by_rel.keys():
        return None, None, True
    changed = {rel for rel in facts_by_rel if rel in sources or shas.get(rel) != snapshot.shas.get(rel)}
    for rel in facts_by_rel:
        if rel not in changed:
            facts_by_rel[rel] = snapshot.facts[rel]
    fingerprinted = _load_vouched([s for s in files if s.rel in changed], facts_by_rel, digests, cache, internal)
    return snapshot, changed, fingerprinted


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
    # what only a computed (not reused) run needs is imported below, after the reuse check
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
        from asset_lint.resolve.location_config import LocationSpec
        dg_specs = [s for s in location_specs if s.kind == "dg_project"]
        location_specs = [LocationSpec(*(item.split("=", 1) if "=" in item else (item, item)), "module", "command line")
                          for item in locations]
        dg_projects = dg_projects_of(dg_specs)
    else:
        dg_projects = dg_projects_of(location_specs)
    files, notices = [], []
    signatures: dict = {}  # rel -> (mtime_ns, size): one stat per file serves the size check and the cache
    for source in discover(root, settings.exclude, extra_roots):
        try:
            stat = os.stat(source.path)
        except OSError:
            notices.append(f"{source.rel}: skipped, cannot be read (a broken symlink?)")
            continue
        size = stat.st_size
        signatures[source.rel] = (stat.st_mtime_ns, size)
        if size > MAX_FILE_BYTES and source.rel not in (sources or {}):
            notices.append(f"{source.rel}: skipped, {size / 1048576:.1f} MB is more than asset-lint reads "
                           f"({MAX_FILE_BYTES // 1048576} MB); what it defines is unknown")
            continue
        files.append(source)
    sources = dict(sources or {})
    internal: list = []
    cache = FactsCache(root, enabled=use_cache)
    facts_by_rel, digests, shas = _extract_all(files, sources, cache, internal, signatures)
    del signatures  # the cache keeps what it needs: on large projects this is tens of MB
    fingerprint = _fingerprint(root, settings, files, digests, config_files, locations, sources) if use_cache else None
    reusable = use_cache and not sources  # whether this run's result may be kept for the next one
    wanted = None
    if not all(t.resolve() == root for t in targets):
        wanted = [os.path.relpath(t.resolve(), root).replace(os.sep, "/") for t in targets]
    # the defaults matter only without an explicit selection (flake8 always passes one)
    defaults = rule_defaults() if settings.select is None else {}
    enabled = enabled_codes(settings, rule_modules.KNOWN_CODES, defaults) | {rule_modules.INTERNAL_ERROR}
    reused = cache.reusable_run(fingerprint, shas) if fingerprint and not internal else None
    if reused is not None and _data_files_unchanged(reused):
        noqa = {rel: (f.noqa if f is not None else cache.noqa(rel)) for rel, f in facts_by_rel.items()} \
            if apply_noqa else {}
        cache.save(_live(facts_by_rel))
        kept = keep(reused[1], settings, enabled, noqa, wanted, apply_noqa)
        return Analysis(root, settings, kept, None, [], len(files), notices)
    import hashlib
    from asset_lint.extract import extract_source
    from asset_lint.graph import build_graphs
    from asset_lint.resolve import build_project
    from asset_lint.resolve import snapshot as snapshots
    frame = _frame(root, settings, files, config_files, locations) if use_cache else ""
    snapshot, changed, fingerprinted = (None, None, True) if not use_cache else \
        _resumable(cache, frame, facts_by_rel, shas, sources, files, digests, internal)
    if snapshot is None:
        fingerprinted = _load_vouched(files, facts_by_rel, digests, cache, internal)
    if not fingerprinted:
        reusable = False
    noqa = {rel: f.noqa for rel, f in facts_by_rel.items() if f.noqa} if apply_noqa else {}
    findings = [_syntax_finding(f) for f in facts_by_rel.values()
                if f.syntax_error and f.syntax_error.message != "internal error"]
    reread: dict = {}  # path -> sha256 of the prefiltered modules resolve needed in full

    def materialize(facts: FileFacts) -> FileFacts:
        """Full facts of a prefiltered module another module needs (cached like any other facts)."""
        nonlocal reusable
        key, digest = facts.rel + FULL_FACTS, shas.get(facts.rel, "")
        reread[facts.rel] = digest
        cached = cache.facts_for(key, digest) if digest else None
        if cached is not None:
            return cached
        data = sources.get(facts.rel)
        if data is None:
            try:
                data = (root / facts.rel).read_bytes()
            except OSError:
                reusable = False
                return FileFacts(facts.rel, facts.module, facts.is_package,
                                 syntax_error=SyntaxProblem("unreadable", 1, 0))
        full = extract_source(data, facts.rel, facts.module, facts.is_package, lazy=False)
        if digest and facts.rel not in sources:
            if hashlib.sha256(data).hexdigest() == digest:
                cache.remember(key, digest, full)
            else:  # edited since this run hashed it: neither these facts nor this run describe that digest
                reusable = False
        return full

    stale: frozenset = frozenset()
    if snapshot is not None:
        reread.update((rel, sha) for rel, sha in snapshot.reread.items() if rel not in changed)
        changed_modules = {facts_by_rel[rel].module for rel in changed if facts_by_rel[rel].module}
        stale = frozenset(snapshots.stale_modules(snapshot, changed_modules))
        guarded = snapshots.guarded_names(snapshot, stale)
        if guarded is None:
            snapshot = None
    # keep a snapshot for the next run: not on a cold run (on CI the cache is thrown away), nor
    # with an editor's unsaved buffer; again when most modules had to be evaluated anew
    capturing = use_cache and cache.warm and not sources and not internal and len(files) <= snapshots.MAX_FILES \
        and (snapshot is None or len(stale) > snapshots.REWRITE_SHARE * len(files))
    project = build_project(root, facts_by_rel, location_specs, dg_projects, settings.extra_decorators(), materialize,
                            snapshot, stale, guarded if snapshot is not None else None, capturing)
    if snapshot is not None and project.evaluator.guard_tripped:
        # a changed module now reaches a cycle whose cut came from the snapshot: a fresh run
        # might enter (and cut) it elsewhere; the next run resumes a snapshot of this one
        snapshot = None
        capturing = use_cache and not sources and not internal
        project = build_project(root, facts_by_rel, location_specs, dg_projects, settings.extra_decorators(),
                                materialize, track=capturing)
    internal.extend(_internal_finding(rel, pos, exc) for rel, pos, exc in project.internal_errors)
    graphs = build_graphs(project)
    # every rule runs: selection is a filter (below), so one run's findings serve any selection later
    from asset_lint.rules import ALL, RuleContext
    context = RuleContext(project, graphs, settings)
    for rule in ALL:
        try:
            findings.extend(rule.check(context))
        except Exception as exc:  # one rule's bug must not hide the other rules' findings
            internal.append(_internal_finding("", (1, 0, 1, 0), exc, rule.CODE))
    findings.extend(internal)
    # the snapshot to write for the next run: values, and what rules derived from them
    resolved = snapshots.capture(project, frame, shas, reread) if capturing and not internal else None
    if reusable and not internal:
        data_files = [(str(p), signature_of(p)) for p in project.data_files]

        def fingerprint_of(digest_of) -> Optional[str]:
            """Taken once the cache has digested the facts the pool extracted."""
            known = {rel: digest if digest is not None else digest_of(rel) for rel, digest in digests.items()}
            return _fingerprint(root, settings, files, known, config_files, locations, sources)

        cache.save(_live(facts_by_rel), fingerprint_of, (data_files, findings), reread)
    else:
        cache.save(_live(facts_by_rel))
    if resolved is not None:
        cache.write_snapshot(resolved)
    kept = keep(findings, settings, enabled, noqa, wanted, apply_noqa)
    resumed = (len(stale), len(project.evaluator.modules)) if snapshot is not None else None
    return Analysis(root, settings, kept, project, graphs, len(files), notices, resumed)
