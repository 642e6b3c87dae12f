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
    """Load once, consult per file, save once; `enabled=False` (--no-cache) keeps nothing."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.directory = root / CACHE_DIR / f"v{__version__}-s{SCHEMA_VERSION}"
        self.path = self.directory / "facts.pickle"
        self.enabled = enabled
        self.entries: dict = {}
        self.run: Optional[dict] = None
        self.changed = False
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                data = _CacheUnpickler(io.BytesIO(handle.read())).load()
        except Exception:  # missing, truncated, corrupt or foreign: start afresh
            return
        if isinstance(data, dict) and data.get("version") == __version__ and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]
            self.run = data.get("run")

    def fresh(self, source) -> Optional[tuple]:
        """(facts, digest) when the stat fast path vouches for the entry, else None (nothing is read)."""
        entry = self.entries.get(source.rel)
        if not entry or entry["identity"] != (source.module, source.is_package):
            return None
        signature = signature_of(source.path)
        if signature and entry["stat"] == signature and signature[0] < entry["written"] - RACY_NS:
            return entry["facts"], entry["sha256"]
        return None

    def known_digest(self, source) -> Optional[str]:
        """The digest the cached entry was made from (so unchanged bytes are not re-extracted)."""
        entry = self.entries.get(source.rel)
        return entry["sha256"] if entry and entry["identity"] == (source.module, source.is_package) else None

    def facts_for(self, source) -> object:
        return self.entries[source.rel]["facts"]

    def record(self, source, facts, digest: str, signature: Optional[tuple]) -> None:
        """Remember freshly extracted (or re-verified) facts."""
        if self.enabled:
            self.entries[source.rel] = {"identity": (source.module, source.is_package), "facts": facts,
                                        "sha256": digest, "stat": signature, "written": time.time_ns()}
            self.changed = True

    def reusable_run(self, fingerprint: str) -> Optional[list]:
        """The last run's raw findings, when every input is unchanged."""
        if self.run and self.run.get("fingerprint") == fingerprint:
            return self.run["findings"]
        return None

    def save(self, live: set, fingerprint: Optional[str] = None, findings: Optional[list] = None) -> None:
        """Write the cache (pruning files that are gone) when anything changed."""
        if not self.enabled:
            return
        stale = set(self.entries) - live
        for rel in stale:
            del self.entries[rel]
        run_changed = fingerprint is not None and (self.run or {}).get("fingerprint") != fingerprint
        if not (self.changed or stale or run_changed):
            return
        run = {"fingerprint": fingerprint, "findings": findings} if fingerprint is not None else self.run
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.root / CACHE_DIR / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump({"version": __version__, "entries": self.entries, "run": run}, handle, protocol=4)
                os.replace(temp, self.path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            pass  # a read-only project: run without a cache


def clean(root: Path) -> bool:
    """Remove the project's cache folder; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
