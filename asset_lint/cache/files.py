"""The cache folder's files: written atomically with a checksum, read back only when it matches,
and unpickled admitting nothing but asset-lint's own plain-data classes."""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Optional

from asset_lint import messages

CACHE_DIR = ".asset_lint_cache"
_ALLOWED = {("asset_lint.extract.facts", n) for n in
            ("FileFacts", "FunctionFacts", "ClassFacts", "Param", "StorageAccess", "Invocation", "Binding",
             "SyntaxProblem")}
_ALLOWED |= {("asset_lint.findings", n) for n in ("Finding", "Site", "Related")}
_ALLOWED |= {("asset_lint.messages", message.__name__) for message in messages.ALL}   # what findings say
_ALLOWED |= {("builtins", n) for n in ("frozenset", "set", "dict", "list", "tuple")}
# a message's arguments may be kinds (DG021 names what each location makes of a key)
_ALLOWED |= {("asset_lint.dagster_api_table", n) for n in ("AssetKind", "DefinitionKind")}
_ALLOWED |= {("asset_lint.resolve.gaps", n) for n in ("Gap", "PartialLocation")}   # the last run's partial locations


class CacheUnpickler(pickle.Unpickler):
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


def checksum(blob) -> bytes:
    """Catches a damaged entry that would still unpickle (a flipped byte inside a string).
    Not a defence against tampering (the unpicklers are): SHA-1, as the fastest hash here (about
    three times blake2b on a resolved snapshot of several MB, read on every run after an edit)."""
    return hashlib.sha1(blob, usedforsecurity=False).digest()[:16]


class CacheFolder:
    """One project's `.asset_lint_cache/v<version>-s<schema>/`: its files read and written whole."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.directory = root / CACHE_DIR / name

    def read(self, name: str) -> Optional[bytes]:
        """A file's bytes; None when it is missing or unreadable."""
        try:
            with open(self.directory / name, "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def read_checked(self, name: str) -> Optional[memoryview]:
        """A file's bytes without their trailing checksum, when it matches (a flipped byte inside a
        finding's message would otherwise still unpickle, and be reported); None when missing."""
        data = self.read(name)
        if data is None:
            return None
        body = memoryview(data)[:-16]
        return body if checksum(body) == data[-16:] else None

    def read_pickle(self, name: str):
        """A checksummed file, unpickled; None when missing, damaged, truncated or foreign."""
        body = self.read_checked(name)
        try:
            return CacheUnpickler(io.BytesIO(body)).load() if body is not None else None
        except Exception:  # truncated, corrupt or foreign: start afresh
            return None

    def write(self, name: str, write, with_checksum: bool = False) -> None:
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
                target = _Checksummed(handle) if with_checksum else handle
                write(target)
                if with_checksum:
                    handle.write(target.digest())
            os.replace(temp, self.directory / name)
        except BaseException:
            os.unlink(temp)
            raise


def pickling(dump):
    """A write for CacheFolder.write that hands dump() a pickler onto the file, and the file."""
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
