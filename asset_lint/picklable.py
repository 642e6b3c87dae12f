"""Dataclasses pickled as a call to their constructor.

The cache, the process pool and the resolved snapshot unpickle hundreds of thousands of small
dataclass objects. Pickled the default way, each one is rebuilt from a state dict (or, slotted and
frozen, through a generated __setstate__ that lists the fields again for every object); as a
constructor call it unpickles in about half the time.
"""
from __future__ import annotations

from dataclasses import fields


def pickled_as_a_call(*classes: type) -> None:
    """Give each dataclass a __reduce__ that rebuilds it as `cls(*field values)`."""
    for cls in classes:
        if not all(f.init for f in fields(cls)):
            continue  # the constructor cannot take every field: pickled the default way
        cls.__reduce__ = _reducer(cls, tuple(f.name for f in fields(cls)))


def _reducer(cls: type, names: tuple):
    def __reduce__(self):
        if type(self) is not cls:  # it would come back as `cls`, without the subclass's own fields
            raise TypeError(f"{type(self).__name__} inherits {cls.__name__}'s pickling: give it pickled_as_a_call too")
        return cls, tuple([getattr(self, name) for name in names])
    return __reduce__
