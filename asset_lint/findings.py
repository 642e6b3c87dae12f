"""The Finding type shared by rules, filters and reporters, and the Message base of what findings say."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Tuple, Union

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


class Message:
    """What a finding says, as pyflakes keeps it: the class holds the rule's `code` and a str.format
    `text`; the object holds only the arguments (asset_lint/messages.py has one class per message)."""

    code = ""
    text = ""
    __slots__ = ("args", "_rendered")

    def __init__(self, *args) -> None:
        self.args = args
        self._rendered = None

    def __str__(self) -> str:
        if self._rendered is None:
            self._rendered = self.text.format(*self.args)
        return self._rendered

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.args == self.args

    def __hash__(self) -> int:
        return hash(str(self))   # the arguments may be lists; equal arguments give equal text

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.args!r}"

    def __reduce__(self):
        return type(self), self.args   # a call, as pickled_as_a_call does: the text is rendered again


@dataclass(frozen=True)
class Finding:
    """One diagnostic; `identity` names what it is about (an asset key or op name), not a line."""

    code: str
    site: Site
    msg: Union[Message, str]     # a Message (rules); plain text for asset-lint's own DG000 and DG999
    identity: str = ""
    related: tuple[Related, ...] = field(default=(), compare=False)
    detail: str = field(default="", compare=False, repr=False)   # DG999's traceback, shown with --verbose

    @property
    def message(self) -> str:
        """The text every output prints."""
        return self.msg if isinstance(self.msg, str) else str(self.msg)

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
    def of(cls, site: Site, message: Message, identity: str = "", related: tuple[Related, ...] = ()) -> "Finding":
        """A rule's finding at `site`: what `message` says, under its rule's code."""
        return cls(message.code, site, message, identity, tuple(related))

    @classmethod
    def at(cls, site: Site, code: str, message: str, identity: str = "",
           related: tuple[Related, ...] = ()) -> "Finding":
        """A finding at `site` whose text is given as it is (asset-lint's own DG000)."""
        return cls(code, site, message, identity, tuple(related))


pickled_as_a_call(Site, Related, Finding)
