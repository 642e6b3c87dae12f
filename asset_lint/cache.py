"""Per-file cache of extracted FileFacts (never findings: those depend on other files).

Entries live in `.asset_lint_cache/` at the project root (with a `.gitignore` of `*`, as ruff does),
one per source file. An entry is used when asset-lint's version, the extractor's schema, the file's
module name and its bytes (sha256) match; (mtime_ns, size) is the fast path that skips reading the
file. Writes go to a temp file and `os.replace`, so concurrent runs never see half an entry; an
unreadable, truncated or foreign entry is ignored and rebuilt; a read-only project runs uncached.
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
_ALLOWED = {("asset_lint.extract.facts", n) for n in
            ("FileFacts", "FunctionFacts", "ClassFacts", "Param", "StorageAccess", "Invocation", "Binding", "SyntaxProblem")}
_ALLOWED |= {("builtins", n) for n in ("frozenset", "set", "dict", "list", "tuple")}


class _FactsUnpickler(pickle.Unpickler):
    """Only our plain-data classes: a tampered cache file cannot run code."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not cache data")
        return super().find_class(module, name)


class FactsCache:
    """Extract through the cache; `enabled=False` (--no-cache) reads and extracts every file afresh."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.directory = root / CACHE_DIR / f"v{__version__}-s{SCHEMA_VERSION}"
        self.enabled = enabled and self._prepare(root)
        self.hits = self.misses = 0

    def _prepare(self, root: Path) -> bool:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = root / CACHE_DIR / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            return os.access(self.directory, os.W_OK)
        except OSError:
            return False  # a read-only project: run without a cache

    def _entry_path(self, rel: str) -> Path:
        return self.directory / (hashlib.sha1(rel.encode("utf-8")).hexdigest() + ".facts")

    def _load(self, path: Path) -> Optional[dict]:
        try:
            with open(path, "rb") as handle:
                entry = _FactsUnpickler(io.BytesIO(handle.read())).load()
            return entry if isinstance(entry, dict) and entry.get("version") == __version__ else None
        except Exception:  # truncated, corrupt or foreign: rebuild
            return None

    def _store(self, path: Path, entry: dict) -> None:
        try:
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(entry, handle, protocol=4)
            os.replace(temp, path)
        except OSError:
            try:
                os.unlink(temp)
            except (OSError, UnboundLocalError):
                pass

    def fresh(self, source):
        """The cached facts when the stat fast path vouches for them, else None (nothing is read)."""
        if not self.enabled:
            return None
        try:
            stat = os.stat(source.path)
        except OSError:
            return None
        entry = self._load(self._entry_path(source.rel))
        if entry and entry.get("identity") == (source.rel, source.module, source.is_package) \
                and entry.get("stat") == (stat.st_mtime_ns, stat.st_size) \
                and stat.st_mtime_ns < entry.get("written", 0) - 2_000_000_000:
            self.hits += 1
            return entry["facts"]
        return None

    def facts(self, source, read) -> tuple:
        """(FileFacts, read error or None) for one SourceFile; `read()` returns (bytes, error)."""
        if not self.enabled:
            data, error = read()
            return (None, error) if error else (extract_source(data, source.rel, source.module, source.is_package), None)
        path = self._entry_path(source.rel)
        try:
            stat = os.stat(source.path)
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        entry = self._load(path)
        identity = (source.rel, source.module, source.is_package)
        # git's "racy clean" rule: a file modified within 2 s of the entry's write may have changed
        # without changing size or mtime, so only older files take the stat fast path
        if entry and entry.get("identity") == identity and signature and entry.get("stat") == signature \
                and signature[0] < entry.get("written", 0) - 2_000_000_000:
            self.hits += 1
            return entry["facts"], None
        data, error = read()
        if error:
            return None, error
        digest = hashlib.sha256(data).hexdigest()
        if entry and entry.get("identity") == identity and entry.get("sha256") == digest:
            self.hits += 1
            facts = entry["facts"]
        else:
            self.misses += 1
            facts = extract_source(data, source.rel, source.module, source.is_package)
        if not (entry and entry.get("sha256") == digest and entry.get("stat") == signature
                and signature and signature[0] < entry.get("written", 0) - 2_000_000_000):
            self._store(path, {"version": __version__, "identity": identity, "stat": signature, "sha256": digest,
                               "facts": facts, "written": time.time_ns()})
        return facts, None


def _read(path: Path) -> tuple:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", exc.strerror or type(exc).__name__


def extract_chunk(root: Path, enabled: bool, sources: list) -> list:
    """Worker of the cold-run process pool: (facts, error) per source, through the cache."""
    cache = FactsCache(root, enabled)
    return [cache.facts(source, lambda path=source.path: _read(path)) for source in sources]


def clean(root: Path) -> bool:
    """Remove the project's cache folder; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
