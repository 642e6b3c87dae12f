"""The Finding type shared by rules, filters and reporters."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Tuple

from asset_lint.picklable import pickled_as_a_call

Span = Tuple[int, int, int, int]  # line, col, end_line, end_col (lines 1-based, columns 0-based)


@dataclass(unsafe_hash=True, order=True)   # not frozen, for speed (see resolve/values.py); never changed
class Site:
    """A place in the project: POSIX path relative to the project root plus a span."""

    path: str
    span: Span

    @property
    def line(self) -> int:
        return self.span[0]

    def label(self) -> str:
        return f"{self.path}:{self.span[0]}"


@dataclass(frozen=True)
class Related:
    """Another site that explains a finding (the other definition of a key, the rest of a cycle)."""

    site: Site
    message: str


@dataclass(frozen=True)
class Finding:
    """One diagnostic; `identity` names what it is about (an asset key or op name), not a line."""

    code: str
    site: Site
    message: str
    identity: str = ""
    related: tuple[Related, ...] = field(default=(), compare=False)
    detail: str = field(default="", compare=False, repr=False)   # DG999's traceback, shown with --verbose

    @property
    def path(self) -> str:
        return self.site.path

    @property
    def line(self) -> int:
        return self.site.span[0]

    @property
    def col(self) -> int:
        return self.site.span[1]

    def sort_key(self) -> tuple:
        return (self.site.path, self.site.span, self.code, self.message)

    @classmethod
    def at(cls, site: Site, code: str, message: str, identity: str = "",
           related: tuple[Related, ...] = ()) -> "Finding":
        """Build a finding at `site`."""
        return cls(code, site, message, identity, tuple(related))


pickled_as_a_call(Site, Related, Finding)
