"""The last run: its raw findings, kept under a fingerprint of every input, reused when all are unchanged.

The fingerprint hashes the run's frame (which files, as which modules, the settings that change what
the rules compute, the config files, the version) and each file's facts digest (see
cache/facts_store.py), not its bytes: an edit the facts do not see (a comment's text, blank lines at
the end) cannot change any finding, and reuses the last run. Any change at all recomputes
everything, so a result that depends on other files is never stale.

A prefiltered (lazy) module's facts hold only its imports; resolve reads the file again when it
needs a constant from it, so the run also records the sha256 of every module it read in full, and
is reused only while those are unchanged (editing a helper no Dagster code reads from recomputes
nothing). Anything else that makes findings depend on a file other than through its facts must be
recorded too, as the data files (dbt manifests) are, by their stat.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional, Sequence

from asset_lint.cache.files import signature_of


def frame(root: Path, settings, files: list, config_files: list, locations: Sequence[str]) -> str:
    """Everything a run's findings depend on except the files' contents: which files, as which
    modules, the settings that change what the rules compute, and the config files."""
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


def fingerprint(run_frame: str, files: list, facts_digest_by_path: dict) -> Optional[str]:
    """Everything a run's findings depend on: its frame and each file's facts digest; None while a
    file's facts digest is not known yet."""
    if any(facts_digest_by_path.get(source.rel) is None for source in files):
        return None
    h = hashlib.sha256(run_frame.encode())
    for source in files:
        h.update(f"{facts_digest_by_path.get(source.rel)}\n".encode())
    return h.hexdigest()


class LastRun:
    """The last computed run as the index keeps it: {"fingerprint", "result": (data files as
    (path, stat) pairs, raw findings, the code locations analysed only partly), "reread": path ->
    sha256 of the modules it read in full}."""

    def __init__(self, stored: Optional[dict]) -> None:
        self.stored = stored
        self.changed = False

    @property
    def exists(self) -> bool:
        """Whether a last run was found (else no facts digest can let anything be reused)."""
        return self.stored is not None

    def findings_if_unchanged(self, run_fingerprint: str, sha256_by_path: dict) -> Optional[list]:
        """The last run's raw findings, when every input is unchanged; else None.

        sha256_by_path: path -> sha256 now, to check the modules the last run read in full."""
        run = self.stored
        if not run or run.get("fingerprint") != run_fingerprint or not all(
                sha256_by_path.get(rel) == sha256 for rel, sha256 in run.get("reread", {}).items()):
            return None
        data_files, findings = run["result"][:2]
        if not all(signature_of(Path(path)) == signature for path, signature in data_files):
            return None
        return findings

    def partial_locations(self) -> list:
        """The last run's code locations analysed only partly (resolve.gaps.PartialLocation)."""
        result = self.stored["result"] if self.stored else ()
        return list(result[2]) if len(result) > 2 else []

    def keep(self, run_fingerprint: str, result: tuple, reread: dict) -> None:
        """Make a computed run the one to keep: result is (stamped data files, raw findings, partial locations)."""
        self.stored = {"fingerprint": run_fingerprint, "result": result, "reread": reread}
        self.changed = True


def stamped(data_files: list) -> list:
    """(path, stat) of each data file a run read, to tell later whether they are as they were."""
    return [(str(path), signature_of(path)) for path in data_files]
