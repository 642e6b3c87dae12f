"""The facts store: each file's extracted FileFacts, found by the file's stat, then by its sha256.

Two hashes name a file, and they are not the same thing:
- `sha256`: of the file's bytes. Equal, the file need not be extracted again.
- `facts_digest`: of the facts extracted from it (`facts_digest()`), i.e. what the analysis can see
  of the file. Equal facts digests give equal findings, so the last run's fingerprint is made of
  them (cache/last_run.py), and facts are stored under theirs.

Two files: a small index (`index.pickle`, per file an IndexEntry; it also holds the last run) and
the facts themselves (`facts.pickle`), which a run served from the index alone never loads. The
facts file is a stream of small pickles, one (key, facts digest, pickled facts, checksum) per
entry: loading it unpickles no facts (only those a run asks for), and writing it pickles only new
facts, one at a time. An edit that leaves a file's facts equal rewrites only the index.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import time
from functools import partial
from typing import NamedTuple, Optional

from asset_lint import __version__
from asset_lint.cache.files import CacheFolder, CacheUnpickler, checksum, pickling
from asset_lint.extract.facts import FileFacts


class ExtractionResult(NamedTuple):
    """What reading one file gave (extraction_pool.py reads, the store records). The pool sends it as a
    plain tuple (cheaper to pickle than a class)."""

    facts: Optional[FileFacts]     # None when the bytes still hash to the known sha256, or cannot be read
    read_error: Optional[str]      # why the file cannot be read
    sha256: Optional[str]          # of the bytes read
    signature: Optional[tuple]     # the file's (mtime_ns, size), stat'ed just before it was read
    facts_digest: Optional[str]    # None when not asked for: taken then as the cache writes the facts
    pickled: Optional[bytes]       # the facts as the cache stores them, when they were pickled to digest them


RACY_NS = 2_000_000_000
INDEX_FORMAT = 6  # bump when the index's entries (or the checksums) change shape
FACTS_FILE = "facts.pickle"


class IndexEntry(NamedTuple):
    """One source file in the index. Stored as a plain tuple (index_payload): the index is pickled
    without a memo, where a class named in every one of 100,000 entries would cost its name and a
    lookup each, and dicts tens of MB more."""

    module: str
    is_package: bool
    sha256: str                   # of the bytes the facts were extracted from
    facts_digest: Optional[str]   # None until the facts are written (they are digested as they are pickled)
    stat: Optional[tuple]         # (mtime_ns, size) the bytes had
    written: int                  # when the entry was made (time.time_ns()), for the racy-clean rule
    noqa: dict                    # the file's `# noqa` lines (see _noqa_for_index)


_as_entry = partial(tuple.__new__, IndexEntry)   # a stored tuple as an IndexEntry, without a Python call


def entries_of(files: dict) -> Optional[dict]:
    """The index's entries as stored (path -> tuple), as IndexEntry records; None when not an index."""
    if not all(type(entry) is tuple and len(entry) == len(IndexEntry._fields) for entry in files.values()):
        return None
    return dict(zip(files, map(_as_entry, files.values())))


def pickled_facts(facts) -> tuple:
    """(the facts pickled, their facts digest): what the analysis can see of one file, hashed.

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


def facts_digest(facts) -> str:
    """What the analysis can see of one file, hashed: equal digests give equal findings."""
    return pickled_facts(facts)[1]


def _noqa_for_index(noqa: dict) -> dict:
    """A file's `# noqa` lines with their codes as sorted tuples, not frozensets: the index is pickled
    without a memo (fast mode), in which CPython's pickler miscounts the nesting of frozensets and
    fails (KeyError) once some fifty of them are written."""
    return {line: None if codes is None else tuple(sorted(codes)) for line, codes in noqa.items()} if noqa else noqa


class FactsStore:
    """Consulted per file, written once; `enabled=False` (--no-cache) keeps nothing.

    The stat (mtime_ns, size) is the fast path that skips reading a file, except for files
    modified within two seconds of the entry's write (git's "racy clean" rule).
    """

    def __init__(self, folder: CacheFolder, index: dict, enabled: bool) -> None:
        self.folder = folder
        self.enabled = enabled
        self.index: dict = index   # path -> IndexEntry
        # key -> (facts digest (a #full key's: the file's sha256), pickled facts or FileFacts not yet
        # written, checksum, the entry as written in the facts file); the last two None for entries
        # not read from it
        self._facts: Optional[dict] = None
        self.index_changed = self.facts_changed = False

    def _all_facts(self) -> dict:
        if self._facts is None:
            self._facts = {}
            if not self.enabled:
                return self._facts
            try:
                self._facts = self._read_facts_file()
            except Exception:  # missing, truncated, corrupt or foreign: start afresh
                pass
        return self._facts

    def _read_facts_file(self) -> dict:
        data = self.folder.read(FACTS_FILE)
        if data is None:
            return {}
        stream = io.BytesIO(data)
        loader = CacheUnpickler(stream)
        if loader.load() != ("facts", __version__, INDEX_FORMAT):
            return {}
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
        return entries

    def _entry(self, source) -> Optional[IndexEntry]:
        """The file's entry, when it was made for the same module."""
        entry = self.index.get(source.rel)
        if entry is None or entry.module != source.module or entry.is_package != source.is_package:
            return None
        return entry

    def fresh_sha256(self, source, signature: Optional[tuple]) -> Optional[str]:
        """The file's sha256 when the stat fast path vouches for the cached entry, else None (nothing is read).

        signature: the file's (mtime_ns, size), stat'ed just before."""
        entry = self._entry(source)
        if entry and signature and entry.stat == signature and signature[0] < entry.written - RACY_NS:
            return entry.sha256
        return None

    def known_sha256(self, source) -> Optional[str]:
        """The sha256 the cached entry was made from (so unchanged bytes are not extracted again)."""
        entry = self._entry(source)
        return entry.sha256 if entry else None

    def known_facts_digest(self, source) -> Optional[str]:
        """The facts digest of the cached entry (what its facts are stored under)."""
        entry = self._entry(source)
        return entry.facts_digest if entry else None

    def facts_digest_of(self, rel: str) -> Optional[str]:
        """A recorded file's facts digest (known once its facts were written, for those recorded without one)."""
        entry = self.index.get(rel)
        return entry.facts_digest if entry else None

    def noqa(self, rel: str) -> dict:
        """A recorded file's `# noqa` lines."""
        entry = self.index.get(rel)
        return entry.noqa if entry else {}

    def facts_for(self, key: str, digest: str):
        """Cached facts stored under key with this facts digest (a #full key's: the file's sha256); None if absent."""
        found = self._all_facts().get(key)
        if not found or found[0] != digest:
            return None
        if not isinstance(found[1], bytes):
            return found[1]
        if found[2] is not None and checksum(found[1]) != found[2]:
            return None  # a damaged entry: extract the file again
        try:
            facts = CacheUnpickler(io.BytesIO(found[1])).load()
        except Exception:  # a damaged entry: extract the file again
            return None
        return facts if isinstance(facts, FileFacts) else None

    def record(self, source, extracted: ExtractionResult) -> None:
        """Remember a file's freshly extracted facts (with no facts digest yet: digested when they are
        written); the facts file is rewritten only if they differ from the stored ones."""
        if not self.enabled:
            return
        digest = extracted.facts_digest
        stored = self._facts.get(source.rel) if self._facts is not None else None
        if digest is None or self.known_facts_digest(source) != digest \
                or (self._facts is not None and (stored is None or stored[0] != digest)):
            value = extracted.pickled if extracted.pickled is not None else extracted.facts
            self._all_facts()[source.rel] = (digest, value, None, None)
            self.facts_changed = True
        self.index[source.rel] = IndexEntry(source.module, source.is_package, extracted.sha256, digest,
                                            extracted.signature, time.time_ns(), _noqa_for_index(extracted.facts.noqa))
        self.index_changed = True

    def restamp(self, source, signature: Optional[tuple]) -> None:
        """The file's bytes are those of its entry (only its stat changed): renew the stat fast path."""
        entry = self.index.get(source.rel)
        if self.enabled and entry:
            self.index[source.rel] = entry._replace(stat=signature, written=time.time_ns())
            self.index_changed = True

    def remember(self, key: str, sha256: str, facts) -> None:
        """Keep extra facts under a key of their own (a prefiltered module's full facts, under its sha256)."""
        if self.enabled:
            self._all_facts()[key] = (sha256, facts, None, None)
            self.facts_changed = True

    def prune(self, live) -> None:
        """Forget the entries for which live(key) is false: files that are gone."""
        for rel in [rel for rel in self.index if not live(rel)]:
            del self.index[rel]
            self.index_changed = True
        if self._facts is not None:
            for rel in [rel for rel in self._facts if not live(rel)]:
                del self._facts[rel]
                self.facts_changed = True

    def index_payload(self) -> dict:
        """The index's entries as stored: plain tuples (see IndexEntry)."""
        return dict(zip(self.index, map(tuple, self.index.values())))

    def write_facts(self) -> None:
        """Stream the entries out, pickling (and digesting) facts not yet written, one at a time;
        entries read from the facts file are copied as they were written."""
        def dump(pickler, target) -> None:
            pickler.dump(("facts", __version__, INDEX_FORMAT))
            for key, (digest, value, check, written) in self._facts.items():
                if written is not None:
                    target.write(written)
                    continue
                if not isinstance(value, bytes):
                    blob, digest = self._pickled_for_writing(key, digest, value)
                    value = blob
                pickler.dump((key, digest, value, checksum(value)))
                pickler.clear_memo()
        self.folder.write(FACTS_FILE, pickling(dump))

    def _pickled_for_writing(self, key: str, digest: Optional[str], facts) -> tuple:
        """(facts pickled, facts digest) of facts not yet written; an entry recorded without a facts
        digest gets it now."""
        blob, computed = pickled_facts(facts)
        if digest is None:  # recorded without a digest: this is it
            digest = computed
            entry = self.index.get(key)
            if entry is not None and entry.facts_digest is None:
                self.index[key] = entry._replace(facts_digest=computed)
        # not the blob: 100,000 of them would all stay in memory
        self._facts[key] = (digest, facts, None, None)
        return blob, digest
