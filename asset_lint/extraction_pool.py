"""Reading and extracting the files a run must see: in this process, or shared with a pool of the
other cores, balanced by work stealing.

The work is cut into small chunks, all handed to the pool; this process takes chunks from the tail
for as long as the pool has not started them, so each side ends up with the share its speed allows
(on a loaded machine, or where pickling the facts back is slow, no fixed split is right), and it
unpickles the pool's results while the pool still extracts, not all after. A prefiltered (lazy)
module that resolve needs in full is read again (FullFacts).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from functools import partial
from pathlib import Path
from typing import Optional

from asset_lint.cache.facts_store import ExtractionResult, pickled_facts
from asset_lint.cache.files import signature_of
from asset_lint.extract.facts import FileFacts, SyntaxProblem

FULL_FACTS = "#full"  # cache key suffix: a prefiltered module's full facts, once something needed them
PARALLEL_THRESHOLD = 400  # files to extract before a process pool pays for its start-up
# up to this many files the pool sends facts as the cache's pickles (about 1 KB a file, kept until
# the cache is written); beyond it, memory matters more than the time this saves
SEND_PICKLED_UP_TO = 20_000


_as_result = partial(tuple.__new__, ExtractionResult)   # a plain tuple as a record, without a Python call


def _read_and_extract(source, known_sha256: Optional[str], with_digest: bool) -> tuple:
    signature = signature_of(source.path)
    try:
        with open(source.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__, None, signature, None, None
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 == known_sha256:
        return None, None, sha256, signature, None, None
    from asset_lint.extract import extract_source
    facts = extract_source(data, source.rel, source.module, source.is_package)
    blob, digest = pickled_facts(facts) if with_digest else (None, None)
    return facts, None, sha256, signature, digest, blob


def read_and_extract(source, known_sha256: Optional[str], with_digest: bool = True) -> ExtractionResult:
    """Read one file and extract it, unless its bytes still hash to known_sha256.

    Without with_digest (no last run that a facts digest could let be reused) facts_digest and
    pickled are None: the facts digest is then taken when the facts are written to the cache,
    which pickles them anyway.
    """
    return _as_result(_read_and_extract(source, known_sha256, with_digest))


def extract_chunk(items: list, with_digest: bool, send_pickled: bool) -> list:
    """Worker of the process pool: read_and_extract for (source, known sha256) pairs, as plain tuples.

    send_pickled: send each file's facts as the pickle the cache stores, digested here (the main
    process then need not pickle them again to write the cache; it unpickles them either way).
    Else only the facts: on very large trees the main process would keep every pickle until it
    writes the cache."""
    if send_pickled:
        return [(None, *outcome[1:]) if outcome[0] is not None else outcome
                for outcome in (_read_and_extract(source, sha256, True) for source, sha256 in items)]
    return [_read_and_extract(source, sha256, with_digest)[:5] + (None,) for source, sha256 in items]


def unpickled(outcome: tuple) -> ExtractionResult:
    """A worker's outcome as a record, its facts taken out of the pickle it sent (see extract_chunk)."""
    if outcome[0] is None and outcome[5] is not None:
        return _as_result((pickle.loads(outcome[5]), *outcome[1:]))
    return _as_result(outcome)


def extract_files(pending: list, with_digest: bool = True) -> tuple:
    """(an ExtractionResult for each (source, known sha256) pair, in order; (path, exception) for each
    file asset-lint itself failed on): serially, or shared between this process and a pool.

    with_digest: take facts digests now rather than when the facts are written to the cache
    (which pickles them anyway)."""
    workers = min(int(os.environ.get("ASSET_LINT_JOBS", 0)) or os.cpu_count() or 1, 8)
    if len(pending) >= PARALLEL_THRESHOLD and workers >= 2:
        try:
            return _shared_with_pool(pending, workers, with_digest)
        except Exception:  # a worker died (or no pool here): do it serially, reporting the culprit
            pass
    failures: list = []
    return _extract_here(pending, failures, with_digest), failures


def _shared_with_pool(pending: list, workers: int, with_digest: bool) -> tuple:
    """extract_files with a pool of workers - 1 processes; this process steals chunks from the tail."""
    from concurrent.futures import ProcessPoolExecutor
    size = max(20, len(pending) // (workers * 24))   # small: the last chunks' wait is short
    chunks = [pending[i:i + size] for i in range(0, len(pending), size)]
    send_pickled = len(pending) <= SEND_PICKLED_UP_TO
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        share = _PoolShare([pool.submit(extract_chunk, chunk, with_digest, send_pickled) for chunk in chunks],
                           send_pickled)
        done_here: dict = {}   # chunk index -> (results, failures)
        for index in range(len(chunks) - 1, -1, -1):
            if not share.futures[index].cancel():
                break  # the pool has this chunk and all before it
            failures: list = []
            done_here[index] = (_extract_here(chunks[index], failures, with_digest), failures)
            share.take_finished(done_here)
        results, failures = [], []
        for index in range(len(chunks)):
            if index in done_here:
                results.extend(done_here[index][0])
                failures.extend(done_here[index][1])   # in file order, as a serial run reports them
            else:
                results.extend(share.take(index))
    return results, failures


class _PoolShare:
    """The pool's results, chunk by chunk, unpickled in order."""

    def __init__(self, futures: list, send_pickled: bool) -> None:
        self.futures = futures
        self.send_pickled = send_pickled
        self.taken: dict = {}   # chunk index -> the pool's results, unpickled
        self.next_taken = 0

    def take(self, index: int) -> list:
        """The pool's results of one chunk, waiting for them; its future let go of once taken."""
        if index in self.taken:
            return self.taken.pop(index)
        outcomes = self.futures[index].result()
        self.futures[index] = None
        return list(map(unpickled, outcomes)) if self.send_pickled else list(map(_as_result, outcomes))

    def take_finished(self, done_here: dict) -> None:
        """Unpickle what the pool has finished, in order: here while the pool still extracts, not
        all after (when it would have nothing left to do)."""
        while self.next_taken < len(self.futures) and self.next_taken not in done_here \
                and self.futures[self.next_taken].done():
            self.taken[self.next_taken] = self.take(self.next_taken)
            self.next_taken += 1


def _extract_here(pending: list, failures: list, with_digest: bool) -> list:
    """read_and_extract in this process; a file asset-lint fails on is reported and left unknown."""
    results = []
    for source, known_sha256 in pending:
        try:
            results.append(read_and_extract(source, known_sha256, with_digest))
        except Exception as exc:  # asset-lint's own bug on this file: report it, analyse the rest
            failures.append((source.rel, exc))
            results.append(ExtractionResult(FileFacts(source.rel, source.module, source.is_package,
                                                      syntax_error=SyntaxProblem("internal error", 1, 0)),
                                            None, "", None, "", None))
    return results


class FullFacts:
    """extract_in_full for resolve: the full facts of a prefiltered module another module needs
    (read again, and cached like any other facts, under the file's sha256)."""

    def __init__(self, root: Path, sources: dict, store, sha256_by_path: dict) -> None:
        self.root, self.sources, self.store, self.sha256_by_path = root, sources, store, sha256_by_path
        self.reread: dict = {}   # path -> sha256 of the prefiltered modules resolve needed in full
        self.reusable = True     # False once a file read here no longer is what the run hashed

    def __call__(self, facts: FileFacts) -> FileFacts:
        from asset_lint.extract import extract_source
        key, sha256 = facts.rel + FULL_FACTS, self.sha256_by_path.get(facts.rel, "")
        self.reread[facts.rel] = sha256
        cached = self.store.facts_for(key, sha256) if sha256 else None
        if cached is not None:
            return cached
        data = self.sources.get(facts.rel)
        if data is None:
            try:
                data = (self.root / facts.rel).read_bytes()
            except OSError:
                self.reusable = False
                return FileFacts(facts.rel, facts.module, facts.is_package,
                                 syntax_error=SyntaxProblem("unreadable", 1, 0))
        full = extract_source(data, facts.rel, facts.module, facts.is_package, lazy=False)
        if sha256 and facts.rel not in self.sources:
            if hashlib.sha256(data).hexdigest() == sha256:
                self.store.remember(key, sha256, full)
            else:  # edited since the run hashed it: neither these facts nor the run describe that sha256
                self.reusable = False
        return full
