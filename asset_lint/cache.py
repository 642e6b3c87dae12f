"""The project's cache: extracted FileFacts per file, and the last run's raw findings.

Two files per project in `.asset_lint_cache/v<version>-s<schema>/` (with a `.gitignore` of `*`,
as ruff does): `index.pickle` has one entry per source file (module name, sha256 of its bytes,
digest of its facts, stat, `# noqa` lines) and the last run; `facts.pickle` has the facts.
(mtime_ns, size) is the fast path that skips reading a file, except for files modified within two
seconds of the entry's write (git's "racy clean" rule). The last run's findings are kept with a
fingerprint of every input (each file's facts digest, the config files, the settings, the
version): a run whose inputs are all unchanged reuses them, and any change at all recomputes
everything, so a result that depends on other files is never stale.

The facts digest (`facts_digest`) hashes what was extracted rather than the bytes, because the
analysis sees a file only through its FileFacts: an edit that leaves them equal (a comment's
text, comment or blank lines added at the end) cannot change any finding, and reuses the last run. A prefiltered (lazy) module's facts hold only its imports; resolve re-reads the file when
it needs a constant from it, so the run also records the sha256 of every module it re-read, and
is reused only while those are unchanged (editing a helper no Dagster code reads from recomputes
nothing). Anything else that makes findings depend on a file other than through its facts must
be recorded too (as dbt manifests are).

Writes go to a temp file and `os.replace`, so concurrent runs and flake8 workers never see half a
cache (the last writer wins, and every writer's cache is whole; facts are looked up by digest, so
an index and a facts file from different writers only miss). An unreadable, truncated or foreign
cache is ignored and rebuilt; a read-only project runs without one. Unpickling accepts only
asset-lint's own plain-data classes.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import time
from pathlib import Path
from typing import Optional

from asset_lint import __version__, messages
from asset_lint.extract.facts import SCHEMA_VERSION, FileFacts

CACHE_DIR = ".asset_lint_cache"
SNAPSHOT_FILE = "resolved.pickle"
RACY_NS = 2_000_000_000
INDEX_FORMAT = 5  # bump when the index's entries (or the checksums) change shape
# An index entry is a list (100,000 dicts would cost tens of MB more):
# [module, is_package, sha256, facts digest (None until the facts are written), stat, write time, noqa]
MODULE, IS_PACKAGE, SHA256, FACTS, STAT, WRITTEN, NOQA = range(7)
_ALLOWED = {("asset_lint.extract.facts", n) for n in
            ("FileFacts", "FunctionFacts", "ClassFacts", "Param", "StorageAccess", "Invocation", "Binding",
             "SyntaxProblem")}
_ALLOWED |= {("asset_lint.findings", n) for n in ("Finding", "Site", "Related")}
_ALLOWED |= {("asset_lint.messages", message.__name__) for message in messages.ALL}   # what findings say
_ALLOWED |= {("builtins", n) for n in ("frozenset", "set", "dict", "list", "tuple")}
# a message's arguments may be kinds (DG021 names what each location makes of a key)
_ALLOWED |= {("asset_lint.dagster_api_table", n) for n in ("AssetKind", "DefinitionKind")}


class _CacheUnpickler(pickle.Unpickler):
    """Only our plain-data classes: a tampered cache file cannot run code."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not cache data")
        return super().find_class(module, name)


def signature_of(path) -> Optional[tuple]:
    """(mtime_ns, size), or None when the file cannot be stat'ed."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _facts_blob(facts) -> tuple:
    """(the facts pickled, facts digest): what the analysis can see of one file, hashed.

    A pickle's bytes depend only on the values and on which objects are shared, and extraction
    shares the same way for the same source; a difference anyway only costs a recomputed run.
    noqa codes are frozensets, whose pickled order varies between processes: hashed sorted, apart.
    """
    blob = pickle.dumps(facts, protocol=4)
    bare = pickle.dumps(dataclasses.replace(facts, noqa={}), protocol=4) if facts.noqa else blob
    digest = hashlib.sha256(bare)
    if facts.noqa:
        digest.update(repr(sorted((line, sorted(codes) if codes else None) for line, codes in facts.noqa.items()))
                      .encode())
    return blob, digest.hexdigest()


def _checksum(blob: bytes) -> bytes:
    """Catches a damaged facts entry that would still unpickle (a flipped byte inside a string).
    Not a defence against tampering (the unpicklers are): SHA-1, as the fastest hash here (about
    three times blake2b on a resolved snapshot of several MB, read on every run after an edit)."""
    return hashlib.sha1(blob, usedforsecurity=False).digest()[:16]


def _noqa_for_index(noqa: dict) -> dict:
    """A file's `# noqa` lines with their codes as sorted tuples, not frozensets: the index is pickled
    without a memo (fast mode), in which CPython's pickler miscounts the nesting of frozensets and
    fails (KeyError) once some fifty of them are written."""
    return {line: None if codes is None else tuple(sorted(codes)) for line, codes in noqa.items()} if noqa else noqa


def facts_digest(facts) -> str:
    """What the analysis can see of one file, hashed: equal digests give equal findings."""
    return _facts_blob(facts)[1]


def read_and_extract(source, known_digest: Optional[str], with_digest: bool = True) -> tuple:
    """(facts or None when the bytes still hash to known_digest, read error, digest, signature,
    facts digest, pickled facts).

    Without with_digest (no last run that a digest could let be reused) the last two are None: the
    facts digest is then taken when the facts are written to the cache, which pickles them anyway.
    """
    signature = signature_of(source.path)
    try:
        with open(source.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__, None, signature, None, None
    digest = hashlib.sha256(data).hexdigest()
    if digest == known_digest:
        return None, None, digest, signature, None, None
    from asset_lint.extract import extract_source
    facts = extract_source(data, source.rel, source.module, source.is_package)
    blob, semantic = _facts_blob(facts) if with_digest else (None, None)
    return facts, None, digest, signature, semantic, blob


def extract_chunk(items: list, with_digest: bool, send_pickled: bool) -> list:
    """Worker of the process pool: read_and_extract for (source, known digest) pairs.

    send_pickled: send each file's facts as the pickle the cache stores, digested here (the main
    process then need not pickle them again to write the cache; it unpickles them either way).
    Else only the facts: on very large trees the main process would keep every pickle until it
    writes the cache."""
    if send_pickled:
        return [(None, *outcome[1:]) if outcome[0] is not None else outcome
                for outcome in (read_and_extract(source, digest, True) for source, digest in items)]
    return [read_and_extract(source, digest, with_digest)[:5] + (None,) for source, digest in items]


def pickle_chunk(items: list) -> dict:
    """Worker of the process pool: rel -> (sha256, pickled facts, facts digest) of files the main
    process extracted itself, extracted again here from the same bytes (see engine._outcomes); a
    file whose bytes no longer hash to the main process's sha256 is left out."""
    from asset_lint.extract import extract_source
    pickled = {}
    for source, sha in items:
        try:
            with open(source.path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha:
            blob, semantic = _facts_blob(extract_source(data, source.rel, source.module, source.is_package))
            pickled[source.rel] = (sha, blob, semantic)
    return pickled


def unpickled(outcome: tuple) -> tuple:
    """A worker's outcome with its facts taken out of the pickle it sent (see extract_chunk)."""
    if outcome[0] is None and outcome[5] is not None:
        return (pickle.loads(outcome[5]), *outcome[1:])
    return outcome


class FactsCache:
    """Load once, consult per file, save once; `enabled=False` (--no-cache) keeps nothing.

    Two files: a small index (per file: identity, sha256, facts digest, stat, write time, `# noqa`
    lines; and the last run) and the facts themselves, which a run served from the index alone
    never loads. The facts file is a stream of small pickles, one (key, digest, pickled facts,
    checksum) per entry: loading it unpickles no facts (only those a run asks for), and writing it pickles only
    new facts, one at a time. An edit that leaves a file's facts equal rewrites only the index.
    """

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.directory = root / CACHE_DIR / f"v{__version__}-s{SCHEMA_VERSION}"
        self.enabled = enabled
        self.index: dict = {}
        self.run: Optional[dict] = None
        # key -> (digest, pickled facts or FileFacts not yet written, checksum, the entry as written in the
        # facts file); the last two None for entries not read from it
        self._facts: Optional[dict] = None
        self.index_changed = self.facts_changed = False
        self.pickled_elsewhere = None   # engine.PoolPickles: facts this process need not pickle itself
        if enabled:
            data = self._read("index.pickle")
            if isinstance(data, dict) and data.get("version") == __version__ and data.get("format") == INDEX_FORMAT \
                    and isinstance(data.get("files"), dict) \
                    and all(type(entry) is list and len(entry) == 7 for entry in data["files"].values()):
                self.index, self.run = data["files"], data.get("run")
        # a cache from an earlier run was found (a cold run, as on CI, writes no resolved snapshot)
        self.warm = bool(self.index)

    def _checked(self, name: str) -> Optional[memoryview]:
        """A file's bytes without their trailing checksum, when it matches (a flipped byte inside a
        finding's message would otherwise still unpickle, and be reported); None when missing."""
        try:
            with open(self.directory / name, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        body = memoryview(data)[:-16]
        return body if _checksum(body) == data[-16:] else None

    def _read(self, name: str):
        """The index, unpickled, when its checksum matches."""
        body = self._checked(name)
        try:
            return _CacheUnpickler(io.BytesIO(body)).load() if body is not None else None
        except Exception:  # truncated, corrupt or foreign: start afresh
            return None

    def _all_facts(self) -> dict:
        if self._facts is None:
            self._facts = {}
            if not self.enabled:
                return self._facts
            try:
                with open(self.directory / "facts.pickle", "rb") as handle:
                    data = handle.read()
                stream = io.BytesIO(data)
                loader = _CacheUnpickler(stream)
                if loader.load() == ("facts", __version__, INDEX_FORMAT):
                    entries, raw = {}, memoryview(data)
                    start = stream.tell()
                    while start < len(data):
                        key, digest, blob, check = loader.load()
                        if not (isinstance(key, str) and isinstance(blob, bytes)):
                            raise pickle.UnpicklingError("not a facts entry")
                        end = stream.tell()
                        # checked when its facts are asked for; kept as written, to copy when the file is rewritten
                        entries[key] = (digest, blob, check, raw[start:end])
                        start = end
                    self._facts = entries
            except Exception:  # missing, truncated, corrupt or foreign: start afresh
                pass
        return self._facts

    def fresh_digest(self, source, signature: Optional[tuple]) -> Optional[str]:
        """The file's sha256 when the stat fast path vouches for the cached entry, else None (nothing is read).

        signature: the file's (mtime_ns, size), stat'ed just before."""
        entry = self.index.get(source.rel)
        if not entry or entry[MODULE] != source.module or entry[IS_PACKAGE] != source.is_package:
            return None
        if signature and entry[STAT] == signature and signature[0] < entry[WRITTEN] - RACY_NS:
            return entry[SHA256]
        return None

    def known_digest(self, source) -> Optional[str]:
        """The digest the cached entry was made from (so unchanged bytes are not re-extracted)."""
        entry = self.index.get(source.rel)
        return entry[SHA256] if self._matches(entry, source) else None

    def known_facts_digest(self, source) -> Optional[str]:
        """The facts digest of the cached entry (what its facts are stored under)."""
        entry = self.index.get(source.rel)
        return entry[FACTS] if self._matches(entry, source) else None

    @staticmethod
    def _matches(entry: Optional[list], source) -> bool:
        return entry is not None and entry[MODULE] == source.module and entry[IS_PACKAGE] == source.is_package

    def facts_digest_of(self, rel: str) -> Optional[str]:
        """A recorded file's facts digest (known once its facts were written, for those recorded without one)."""
        entry = self.index.get(rel)
        return entry[FACTS] if entry else None

    def noqa(self, rel: str) -> dict:
        entry = self.index.get(rel)
        return entry[NOQA] if entry else {}

    def facts_for(self, key: str, digest: str):
        """Cached facts stored under key with this (facts or, for #full keys, file) digest; None when absent."""
        found = self._all_facts().get(key)
        if not found or found[0] != digest:
            return None
        if not isinstance(found[1], bytes):
            return found[1]
        if found[2] is not None and _checksum(found[1]) != found[2]:
            return None  # a damaged entry: extract the file again
        try:
            facts = _CacheUnpickler(io.BytesIO(found[1])).load()
        except Exception:  # a damaged entry: extract the file again
            return None
        return facts if isinstance(facts, FileFacts) else None

    def record(self, source, facts, digest: str, signature: Optional[tuple], semantic: Optional[str],
               blob: Optional[bytes] = None) -> None:
        """Remember a file's freshly extracted facts (semantic None: digest them when they are written);
        the facts file is rewritten only if they differ from the stored ones."""
        if not self.enabled:
            return
        stored = self._facts.get(source.rel) if self._facts is not None else None
        if semantic is None or self.known_facts_digest(source) != semantic \
                or (self._facts is not None and (stored is None or stored[0] != semantic)):
            self._all_facts()[source.rel] = (semantic, blob if blob is not None else facts, None, None)
            self.facts_changed = True
        self.index[source.rel] = [source.module, source.is_package, digest, semantic, signature, time.time_ns(),
                                  _noqa_for_index(facts.noqa)]
        self.index_changed = True

    def restamp(self, source, signature: Optional[tuple]) -> None:
        """The file's bytes are those of its entry (only its stat changed): renew the stat fast path."""
        entry = self.index.get(source.rel)
        if self.enabled and entry:
            entry[STAT], entry[WRITTEN] = signature, time.time_ns()
            self.index_changed = True

    def remember(self, key: str, digest: str, facts) -> None:
        """Keep extra facts under a key of their own (a prefiltered module's full facts)."""
        if self.enabled:
            self._all_facts()[key] = (digest, facts, None, None)
            self.facts_changed = True

    def reusable_run(self, fingerprint: str, file_digests: dict) -> Optional[tuple]:
        """The last run's (data files, raw findings), when every input is unchanged.

        file_digests: path -> sha256 now, to check the modules the last run re-read in full.
        """
        if self.run and self.run.get("fingerprint") == fingerprint and all(
                file_digests.get(rel) == digest for rel, digest in self.run.get("reread", {}).items()):
            return self.run["result"]
        return None

    def save(self, live, fingerprint=None, result: Optional[tuple] = None,
             reread: Optional[dict] = None) -> None:
        """Write what changed (pruning entries for which live(key) is false: files that are gone).

        fingerprint: a function of `facts_digest_of`, called once every facts digest is known,
        giving the fingerprint to keep `result` under (None: keep no result); reread: path ->
        sha256 of the prefiltered modules the run read in full.
        """
        if not self.enabled:
            return
        for rel in [rel for rel in self.index if not live(rel)]:
            del self.index[rel]
            self.index_changed = True
        if self._facts is not None:
            for rel in [rel for rel in self._facts if not live(rel)]:
                del self._facts[rel]
                self.facts_changed = True
        try:
            if self.facts_changed:
                self._write_facts()
            key = fingerprint(self.facts_digest_of) if fingerprint is not None else None
            if key is not None:  # a run that was computed, not reused
                self.run = {"fingerprint": key, "result": result, "reread": reread or {}}
                self.index_changed = True
            if self.index_changed:
                payload = {"version": __version__, "format": INDEX_FORMAT, "files": self.index, "run": self.run}
                self._write("index.pickle", _pickling(lambda pickler, _: pickler.dump(payload)), checksum=True)
        except OSError:
            pass  # a read-only project: run without a cache
        finally:
            if self.pickled_elsewhere is not None:  # not needed after all (or taken): let the pool go
                self.pickled_elsewhere.close()
                self.pickled_elsewhere = None

    def _write_facts(self) -> None:
        """Stream the entries out, pickling (and digesting) facts not yet written, one at a time;
        entries read from the facts file are copied as they were written."""
        ready = self.pickled_elsewhere.take() if self.pickled_elsewhere is not None else {}

        def dump(pickler, target) -> None:
            pickler.dump(("facts", __version__, INDEX_FORMAT))
            for key, (digest, value, check, written) in self._facts.items():
                if written is not None:
                    target.write(written)
                    continue
                if not isinstance(value, bytes):
                    entry = self.index.get(key)
                    found = ready.get(key)
                    # pickled by the pool from the bytes this run read (entry[SHA256]): the same pickle
                    blob, semantic = found[1:] if found and entry and found[0] == entry[SHA256] else _facts_blob(value)
                    if digest is None:  # recorded without a digest: this is it
                        digest = semantic
                        if entry is not None and entry[FACTS] is None:
                            entry[FACTS] = semantic
                    # not the blob: 100,000 of them would all stay in memory
                    self._facts[key] = (digest, value, None, None)
                    value = blob
                pickler.dump((key, digest, value, _checksum(value)))
                pickler.clear_memo()
        self._write("facts.pickle", _pickling(dump))

    def read_snapshot(self) -> Optional[bytes]:
        """The resolved snapshot's pickle when its checksum matches (see resolve/snapshot.py)."""
        return self._checked(SNAPSHOT_FILE) if self.enabled else None

    def write_snapshot(self, blob: bytes) -> None:
        if not self.enabled:
            return
        try:
            self._write(SNAPSHOT_FILE, lambda target: target.write(blob), checksum=True)
        except OSError:
            pass  # a read-only project: run without it

    def _write(self, name: str, write, checksum: bool = False) -> None:
        """Write a file atomically (a temp file, renamed): write(target) puts the bytes."""
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.root / CACHE_DIR / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        # a name of its own, as tempfile.mkstemp would make (whose import costs more than a warm run's writes)
        temp = self.directory / f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                target = _Checksummed(handle) if checksum else handle
                write(target)
                if checksum:
                    handle.write(target.digest())
            os.replace(temp, self.directory / name)
        except BaseException:
            os.unlink(temp)
            raise


def _pickling(dump):
    """A write for FactsCache._write that hands dump() a pickler onto the file, and the file."""
    def write(target) -> None:
        pickler = pickle.Pickler(target, protocol=4)
        # no memo: facts share nothing worth deduplicating, and on 100,000 modules the memo
        # (one entry per object written) would cost more memory than the facts themselves
        pickler.fast = True
        dump(pickler, target)
    return write


class _Checksummed:
    """A file being written that also hashes what goes into it (streamed: no copy of it in memory)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.hash = hashlib.sha1(usedforsecurity=False)

    def write(self, data) -> int:
        self.hash.update(data)
        return self.handle.write(data)

    def digest(self) -> bytes:
        return self.hash.digest()[:16]


def clean(root: Path) -> bool:
    """Remove the project's cache folder; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
