"""The project's cache: extracted FileFacts per file, and the last run's raw findings.

One file per project, `.asset_lint_cache/v<version>-s<schema>/facts.pickle` (with a `.gitignore`
of `*`, as ruff does), holds one entry per source file keyed by its path, module name and the
sha256 of its bytes; (mtime_ns, size) is the fast path that skips reading the file, except for
files modified within two seconds of the entry's write (git's "racy clean" rule). It also holds
the findings of the last run with a fingerprint of every input (all files' hashes, the config
files, the settings, the version): a run whose inputs are all unchanged reuses them, and any change
at all recomputes everything, so a result that depends on other files is never stale.

Writes go to a temp file and `os.replace`, so concurrent runs and flake8 workers never see half a
cache (the last writer wins, and every writer's cache is whole). An unreadable, truncated or
foreign cache is ignored and rebuilt; a read-only project runs without one. Unpickling accepts
only asset-lint's own plain-data classes.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import Optional

from asset_lint import __version__
from asset_lint.extract import extract_source
from asset_lint.extract.facts import SCHEMA_VERSION

CACHE_DIR = ".asset_lint_cache"
RACY_NS = 2_000_000_000
_ALLOWED = {("asset_lint.extract.facts", n) for n in
            ("FileFacts", "FunctionFacts", "ClassFacts", "Param", "StorageAccess", "Invocation", "Binding",
             "SyntaxProblem")}
_ALLOWED |= {("asset_lint.findings", n) for n in ("Finding", "Site", "Related")}
_ALLOWED |= {("builtins", n) for n in ("frozenset", "set", "dict", "list", "tuple")}


class _CacheUnpickler(pickle.Unpickler):
    """Only our plain-data classes: a tampered cache file cannot run code."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not cache data")
        return super().find_class(module, name)


def signature_of(path: Path) -> Optional[tuple]:
    """(mtime_ns, size), or None when the file cannot be stat'ed."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def read_and_extract(source, known_digest: Optional[str]) -> tuple:
    """(facts or None when the bytes still hash to known_digest, read error, digest, signature)."""
    signature = signature_of(source.path)
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__, None, signature
    digest = hashlib.sha256(data).hexdigest()
    if digest == known_digest:
        return None, None, digest, signature
    return extract_source(data, source.rel, source.module, source.is_package), None, digest, signature


def extract_chunk(items: list) -> list:
    """Worker of the cold-run process pool: read_and_extract for (source, known digest) pairs."""
    return [read_and_extract(source, digest) for source, digest in items]


class FactsCache:
    """Load once, consult per file, save once; `enabled=False` (--no-cache) keeps nothing.

    Two files: a small index (per file: identity, sha256, stat, write time, `# noqa` lines; and the
    last run) and the facts themselves, which a run served from the index alone never loads.
    """

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.directory = root / CACHE_DIR / f"v{__version__}-s{SCHEMA_VERSION}"
        self.enabled = enabled
        self.index: dict = {}
        self.run: Optional[dict] = None
        self._facts: Optional[dict] = None
        self.index_changed = self.facts_changed = False
        if enabled:
            data = self._read("index.pickle")
            if isinstance(data, dict) and data.get("version") == __version__ and isinstance(data.get("files"), dict):
                self.index, self.run = data["files"], data.get("run")

    def _read(self, name: str):
        try:
            with open(self.directory / name, "rb") as handle:
                return _CacheUnpickler(io.BytesIO(handle.read())).load()
        except Exception:  # missing, truncated, corrupt or foreign: start afresh
            return None

    def _all_facts(self) -> dict:
        if self._facts is None:
            data = self._read("facts.pickle") if self.enabled else None
            self._facts = data["facts"] if isinstance(data, dict) and data.get("version") == __version__ \
                and isinstance(data.get("facts"), dict) else {}
        return self._facts

    def fresh_digest(self, source) -> Optional[str]:
        """The file's sha256 when the stat fast path vouches for the cached entry, else None (nothing is read)."""
        entry = self.index.get(source.rel)
        if not entry or entry["identity"] != (source.module, source.is_package):
            return None
        signature = signature_of(source.path)
        if signature and entry["stat"] == signature and signature[0] < entry["written"] - RACY_NS:
            return entry["sha256"]
        return None

    def known_digest(self, source) -> Optional[str]:
        """The digest the cached entry was made from (so unchanged bytes are not re-extracted)."""
        entry = self.index.get(source.rel)
        return entry["sha256"] if entry and entry["identity"] == (source.module, source.is_package) else None

    def noqa(self, rel: str) -> dict:
        entry = self.index.get(rel)
        return entry["noqa"] if entry else {}

    def facts_for(self, rel: str, digest: str):
        """Cached facts for a file whose bytes hash to digest; None when the facts file lacks them."""
        found = self._all_facts().get(rel)
        return found[1] if found and found[0] == digest else None

    def record(self, source, facts, digest: str, signature: Optional[tuple], new_facts: bool) -> None:
        """Remember a file's (re-verified or freshly extracted) facts."""
        if not self.enabled:
            return
        self.index[source.rel] = {"identity": (source.module, source.is_package), "sha256": digest,
                                  "stat": signature, "written": time.time_ns(), "noqa": facts.noqa}
        self.index_changed = True
        if new_facts:
            self._all_facts()[source.rel] = (digest, facts)
            self.facts_changed = True

    def remember(self, key: str, digest: str, facts) -> None:
        """Keep extra facts under a key of their own (a prefiltered module's full facts)."""
        if self.enabled:
            self._all_facts()[key] = (digest, facts)
            self.facts_changed = True

    def reusable_run(self, fingerprint: str) -> Optional[tuple]:
        """The last run's (data files, raw findings), when every input is unchanged."""
        if self.run and self.run.get("fingerprint") == fingerprint:
            return self.run["result"]
        return None

    def save(self, live: set, fingerprint: Optional[str] = None, result: Optional[tuple] = None) -> None:
        """Write what changed (pruning files that are gone)."""
        if not self.enabled:
            return
        for rel in set(self.index) - live:
            del self.index[rel]
            self.index_changed = True
        if self._facts is not None:
            for rel in set(self._facts) - live:
                del self._facts[rel]
                self.facts_changed = True
        if fingerprint is not None and (self.run or {}).get("fingerprint") != fingerprint:
            self.run = {"fingerprint": fingerprint, "result": result}
            self.index_changed = True
        try:
            if self.facts_changed:
                self._write("facts.pickle", {"version": __version__, "facts": self._facts})
            if self.index_changed:
                self._write("index.pickle", {"version": __version__, "files": self.index, "run": self.run})
        except OSError:
            pass  # a read-only project: run without a cache

    def _write(self, name: str, payload: dict) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.root / CACHE_DIR / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickler = pickle.Pickler(handle, protocol=4)
                # no memo: facts share nothing worth deduplicating, and on 100,000 modules the memo
                # (one entry per object written) would cost more memory than the facts themselves
                pickler.fast = True
                pickler.dump(payload)
            os.replace(temp, self.directory / name)
        except BaseException:
            os.unlink(temp)
            raise


def clean(root: Path) -> bool:
    """Remove the project's cache folder; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
