"""One project's cache: the facts store and the last run (both in the index file), and the resolved
snapshot; read once when a run starts, written once when it ends."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from asset_lint import __version__
from asset_lint.cache.facts_store import INDEX_FORMAT, FactsStore, entries_of
from asset_lint.cache.files import CacheFolder, pickling
from asset_lint.cache.last_run import LastRun
from asset_lint.extract.facts import SCHEMA_VERSION

INDEX_FILE = "index.pickle"
SNAPSHOT_FILE = "resolved.pickle"


class ProjectCache:
    """`.asset_lint_cache/v<version>-s<schema>/` of one project; `enabled=False` (--no-cache) keeps nothing.

    Writes go to a temp file and `os.replace`, so concurrent runs and flake8 workers never see half a
    cache (the last writer wins, and every writer's cache is whole; facts are looked up by their
    digest, so an index and a facts file from different writers only miss). An unreadable,
    truncated or foreign cache is ignored and rebuilt; a read-only project runs without one.
    """

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.folder = CacheFolder(root, f"v{__version__}-s{SCHEMA_VERSION}")
        self.enabled = enabled
        index, run = self._read_index() if enabled else ({}, None)
        self.facts = FactsStore(self.folder, index, enabled)
        self.last_run = LastRun(run)
        # a cache from an earlier run was found (a cold run, as on CI, writes no resolved snapshot)
        self.warm = bool(index)

    def _read_index(self) -> tuple:
        """(path -> IndexEntry, the last run) as the index file has them; empty when it is not ours."""
        data = self.folder.read_pickle(INDEX_FILE)
        if isinstance(data, dict) and data.get("version") == __version__ and data.get("format") == INDEX_FORMAT \
                and isinstance(data.get("files"), dict):
            index = entries_of(data["files"])
            if index is not None:
                return index, data.get("run")
        return {}, None

    def save(self, live, fingerprint_of=None, result: Optional[tuple] = None, reread: Optional[dict] = None) -> None:
        """Write what changed (pruning entries for which live(key) is false: files that are gone).

        fingerprint_of: a function of `FactsStore.facts_digest_of`, called once every facts digest is
        known, giving the fingerprint to keep `result` under (None: keep no result); reread: path ->
        sha256 of the prefiltered modules the run read in full.
        """
        if not self.enabled:
            return
        self.facts.prune(live)
        try:
            if self.facts.facts_changed:
                self.facts.write_facts()
            key = fingerprint_of(self.facts.facts_digest_of) if fingerprint_of is not None else None
            if key is not None:  # a run that was computed, not reused
                self.last_run.keep(key, result, reread or {})
            if self.facts.index_changed or self.last_run.changed:
                payload = {"version": __version__, "format": INDEX_FORMAT, "files": self.facts.index_payload(),
                           "run": self.last_run.stored}
                self.folder.write(INDEX_FILE, pickling(lambda pickler, _: pickler.dump(payload)), with_checksum=True)
        except OSError:
            pass  # a read-only project: run without a cache

    def read_snapshot(self) -> Optional[bytes]:
        """The resolved snapshot's pickle when its checksum matches (see resolve/snapshot.py)."""
        return self.folder.read_checked(SNAPSHOT_FILE) if self.enabled else None

    def write_snapshot(self, blob: bytes) -> None:
        """Keep a resolved snapshot for the next run."""
        if not self.enabled:
            return
        try:
            self.folder.write(SNAPSHOT_FILE, lambda target: target.write(blob), with_checksum=True)
        except OSError:
            pass  # a read-only project: run without it
