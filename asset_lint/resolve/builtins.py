"""Python's builtin functions (and itertools.chain) and the methods of str, list and dict, over known values.

Each answers with a Value, or None when the case is not one it knows (the caller then says why it is
unknown). Mutating methods answer with the changed list or dict: the interpreter rebinds its holder.
"""
from __future__ import annotations

from typing import Optional

from asset_lint.resolve.operators import MAX_ITEMS, NOT_PLAIN, unknown_of, items_of, known, plain, truth
from asset_lint.resolve.values import Const, DictV, External, Loaded, Seq, Unknown, Value


def call_builtin(name: str, args: tuple, kwargs: dict) -> Optional[Value]:
    """A call of a Python builtin (or itertools.chain) over known values; None when not one of those."""
    handler = _BUILTINS.get(name)
    if handler is None:
        return None
    return handler(args, kwargs)


def _seq_of(kind: str):
    def build(args, kwargs):
        if not args:
            return Seq((), kind) if kind != "dict" else DictV(())
        if len(args) != 1 or kwargs:
            return None
        if isinstance(args[0], (Loaded, Unknown)):
            return args[0]   # a loader's result (the collector expands it), or what is not known
        items = items_of(args[0])
        if isinstance(items, Unknown):
            return items
        return Seq(items, kind)
    return build


def _dict(args, kwargs):
    pairs = []
    if args:
        if isinstance(args[0], DictV):
            pairs.extend(args[0].items)
        else:
            items = items_of(args[0])
            if isinstance(items, Unknown):
                return items
            for item in items:
                if not (isinstance(item, Seq) and len(item.items) == 2):
                    return Unknown("dict() of items asset-lint cannot pair")
                pairs.append(tuple(item.items))
    pairs.extend((Const(k), v) for k, v in kwargs.items())
    return DictV(_last_wins(pairs))


def _last_wins(pairs: list) -> tuple:
    """Dict items with each constant key kept once, at its first place, with its last value (as dict does)."""
    index: dict = {}
    result: list = []
    for k, v in pairs:
        key = plain(k)
        try:
            if key is not NOT_PLAIN and key in index:
                result[index[key]] = (k, v)
                continue
            if key is not NOT_PLAIN:
                index[key] = len(result)
        except TypeError:
            pass
        result.append((k, v))
    return tuple(result)


def _plain_call(function, arity: tuple = (1,)):
    def call(args, kwargs):
        if len(args) not in arity:
            return None
        values = [plain(a) for a in args]
        if any(v is NOT_PLAIN for v in values) or any(plain(v) is NOT_PLAIN for v in kwargs.values()):
            return unknown_of(*(list(args) * 2)[:2], what="a builtin call") if args else None
        try:
            return known(function(*values, **{k: plain(v) for k, v in kwargs.items()}))
        except (TypeError, ValueError, OverflowError):
            return Unknown(f"a call Python would refuse ({function.__name__})")
    return call


def _range(args, kwargs):
    numbers = [plain(a) for a in args]
    if kwargs or not 1 <= len(numbers) <= 3 or not all(isinstance(n, int) and not isinstance(n, bool)
                                                       for n in numbers):
        return unknown_of(*(list(args) * 2)[:2], what="a range") if args else None
    span = range(*numbers)
    if len(span) > MAX_ITEMS:
        return Unknown(f"a range over more than {MAX_ITEMS:,} numbers")
    return Seq(tuple(Const(n) for n in span), "tuple")


def _len(args, kwargs):
    if len(args) != 1:
        return None
    if isinstance(args[0], (Seq, DictV)):
        return Const(len(args[0].items))
    text = plain(args[0])
    return Const(len(text)) if isinstance(text, str) else unknown_of(args[0], args[0], "a length")


def _enumerate(args, kwargs):
    if not args:
        return None
    items = items_of(args[0])
    if isinstance(items, Unknown):
        return items
    start = plain(args[1]) if len(args) > 1 else plain(kwargs.get("start", Const(0)))
    if not isinstance(start, int):
        return Unknown("enumerate from an unknown start")
    return Seq(tuple(Seq((Const(start + i), item), "tuple") for i, item in enumerate(items)), "list")


def _zip(args, kwargs):
    columns = []
    for arg in args:
        items = items_of(arg)
        if isinstance(items, Unknown):
            return items
        columns.append(items)
    return Seq(tuple(Seq(row, "tuple") for row in zip(*columns)), "list")


def _sorted(args, kwargs):
    if len(args) != 1 or set(kwargs) - {"reverse"}:
        return None if len(args) != 1 else Unknown("sorted() with a key function")
    items = items_of(args[0])
    if isinstance(items, Unknown):
        return items
    reverse = plain(kwargs.get("reverse", Const(False)))
    values = [plain(item) for item in items]
    if any(v is NOT_PLAIN for v in values) or not isinstance(reverse, bool):
        return Unknown("sorted() of values asset-lint does not know")
    try:
        return known(sorted(values, reverse=reverse))
    except TypeError:
        return Unknown("sorted() of values Python cannot order")


def _reversed(args, kwargs):
    if len(args) != 1:
        return None
    items = items_of(args[0])
    return items if isinstance(items, Unknown) else Seq(tuple(reversed(items)), "list")


def _chain(args, kwargs):
    joined: list = []
    for arg in args:
        if isinstance(arg, Loaded):
            joined.append(arg)   # the collector expands it
            continue
        items = items_of(arg)
        if isinstance(items, Unknown):
            return items
        joined.extend(items)
        if len(joined) > MAX_ITEMS:
            return Unknown(f"a list of more than {MAX_ITEMS:,} items")
    return Seq(tuple(joined), "list")


def _chain_from_iterable(args, kwargs):
    if len(args) != 1:
        return None
    items = items_of(args[0])
    return items if isinstance(items, Unknown) else _chain(items, {})


def _any_all(function):
    def call(args, kwargs):
        if len(args) != 1:
            return None
        items = items_of(args[0])
        if isinstance(items, Unknown):
            return items
        truths = [truth(item) for item in items]
        decisive = function is any   # any() is decided by a true item, all() by a false one
        if decisive in truths:
            return Const(decisive)
        if None in truths:
            return Unknown(f"{function.__name__}() of values asset-lint does not know")
        return Const(not decisive)
    return call


def _min_max(function):
    def call(args, kwargs):
        if kwargs or not args:
            return None
        values = args if len(args) > 1 else items_of(args[0])
        if isinstance(values, Unknown):
            return values
        return _plain_call(lambda *v: function(v), tuple(range(len(values) + 1)))(tuple(values), {})
    return call


def _isinstance(args, kwargs):
    if len(args) != 2:
        return None
    types = args[1].items if isinstance(args[1], Seq) else (args[1],)
    names = [t.qualname[len("builtins."):] for t in types
             if isinstance(t, External) and t.qualname.startswith("builtins.")]
    if len(names) != len(types) or not set(names) <= set(_TYPES):
        return Unknown("isinstance() of a type asset-lint does not know")
    value = plain(args[0])
    if isinstance(args[0], Seq):
        return Const(any(args[0].kind == _SEQ_KINDS.get(n) for n in names))
    if isinstance(args[0], DictV):
        return Const("dict" in names)
    if value is NOT_PLAIN:
        return unknown_of(args[0], args[0], "isinstance()")
    return Const(isinstance(value, tuple(_TYPES[n] for n in names)))


_TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "tuple": tuple, "dict": dict,
          "set": set, "type(None)": type(None)}
_SEQ_KINDS = {"list": "list", "tuple": "tuple", "set": "set"}

_BUILTINS = {
    "builtins.list": _seq_of("list"), "builtins.tuple": _seq_of("tuple"), "builtins.set": _seq_of("set"),
    "builtins.frozenset": _seq_of("set"), "builtins.dict": _dict, "builtins.sorted": _sorted,
    "builtins.reversed": _reversed, "builtins.len": _len, "builtins.enumerate": _enumerate, "builtins.zip": _zip,
    "builtins.range": _range, "builtins.str": _plain_call(str, (0, 1)), "builtins.int": _plain_call(int, (0, 1, 2)),
    "builtins.float": _plain_call(float, (0, 1)), "builtins.bool": _plain_call(bool, (0, 1)),
    "builtins.repr": _plain_call(repr), "builtins.abs": _plain_call(abs), "builtins.round": _plain_call(round, (1, 2)),
    "builtins.min": _min_max(min), "builtins.max": _min_max(max), "builtins.any": _any_all(any),
    "builtins.all": _any_all(all), "builtins.isinstance": _isinstance,
    "itertools.chain": _chain, "itertools.chain.from_iterable": _chain_from_iterable,
}


_STR_METHODS = frozenset({"format", "upper", "lower", "replace", "split", "rsplit", "join", "strip", "lstrip",
                          "rstrip", "startswith", "endswith", "title", "capitalize", "removeprefix",
                          "removesuffix", "zfill", "casefold", "count", "find", "isdigit", "isidentifier"})


def call_method(base: Value, attr: str, args: tuple, kwargs: dict) -> Optional[Value]:
    """A method of a known str, list, tuple or dict that does not change it; None when not one of those."""
    if isinstance(base, Const) and isinstance(base.value, str) and attr in _STR_METHODS:
        if attr == "join":
            items = items_of(args[0]) if len(args) == 1 else Unknown("join() of one argument")
            if isinstance(items, Unknown):
                return items
            args = (Seq(items),)
        elif attr == "format":
            return _str_format(base.value, args, kwargs)
        values = [plain(a) for a in args]
        if any(v is NOT_PLAIN for v in values) or any(plain(v) is NOT_PLAIN for v in kwargs.values()):
            return unknown_of(*(list(args) * 2)[:2], what="a string method") if args else None
        if attr == "join" and not all(isinstance(v, str) for v in values[0]):
            return Unknown("join() of items that are not all strings")
        try:
            return known(getattr(base.value, attr)(*values, **{k: plain(v) for k, v in kwargs.items()}))
        except (TypeError, ValueError, AttributeError):
            return Unknown(f"a string method Python would refuse ({attr})")
    if isinstance(base, DictV):
        return _dict_method(base, attr, args)
    if isinstance(base, Seq) and attr in ("index", "count") and len(args) == 1:
        return _plain_call(getattr(list, attr), (2,))((Seq(base.items, "list"), args[0]), {})
    if isinstance(base, Seq) and attr == "copy":
        return Seq(base.items, base.kind)
    return None


def _str_format(template: str, args: tuple, kwargs: dict) -> Value:
    values = [plain(a) for a in args]
    named = {k: plain(v) for k, v in kwargs.items()}
    if any(v is NOT_PLAIN for v in values) or any(v is NOT_PLAIN for v in named.values()):
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, Unknown):
                return value
        return Unknown("str.format() of values asset-lint does not know")
    try:
        return known(template.format(*values, **named))
    except (IndexError, KeyError, ValueError, AttributeError, TypeError):
        return Unknown("a str.format() Python would refuse")


def _dict_method(base: DictV, attr: str, args: tuple) -> Optional[Value]:
    if attr == "items" and not args:
        return Seq(tuple(Seq((k, v), "tuple") for k, v in base.items), "list")
    if attr == "keys" and not args:
        return Seq(tuple(k for k, _ in base.items), "list")
    if attr == "values" and not args:
        return Seq(tuple(v for _, v in base.items), "list")
    if attr == "copy" and not args:
        return DictV(base.items)
    if attr == "get" and args:
        found = lookup_key(base, args[0])
        if found is None:
            return args[1] if len(args) > 1 else Const(None)
        return found
    return None


def lookup_key(base: DictV, key: Value) -> Optional[Value]:
    """The value under `key` in a dict, None when it is certainly not there, or an Unknown."""
    wanted = plain(key)
    for k, v in base.items:
        if k is key:
            return v
        found = plain(k)
        if found is NOT_PLAIN or wanted is NOT_PLAIN:
            return unknown_of(k if found is NOT_PLAIN else key, key, "a dict lookup")
        if found == wanted:
            return v
    return None


def mutated(base: Value, attr: str, args: tuple) -> Optional[tuple]:
    """(the list or dict after `base.attr(*args)`, what the call returns), or None when not a mutation known."""
    if isinstance(base, Seq) and base.kind == "list":
        if attr == "append" and len(args) == 1:
            return _bounded(Seq(base.items + args, "list")), Const(None)
        if attr == "extend" and len(args) == 1:
            items = items_of(args[0])
            if isinstance(items, Unknown):
                return Seq(base.items + (items,), "list"), Const(None)
            return _bounded(Seq(base.items + items, "list")), Const(None)
        if attr == "insert" and len(args) == 2 and isinstance(plain(args[0]), int):
            items = list(base.items)
            items.insert(plain(args[0]), args[1])
            return _bounded(Seq(tuple(items), "list")), Const(None)
        if attr == "pop" and base.items and (not args or isinstance(plain(args[0]), int)):
            items = list(base.items)
            try:
                popped = items.pop(plain(args[0]) if args else -1)
            except IndexError:
                return None
            return Seq(tuple(items), "list"), popped
    if isinstance(base, DictV):
        if attr == "update" and len(args) == 1 and isinstance(args[0], DictV):
            return DictV(_last_wins(list(base.items + args[0].items))), Const(None)
        if attr == "setdefault" and args:
            found = lookup_key(base, args[0])
            if isinstance(found, Unknown):
                return None
            if found is not None:
                return base, found
            default = args[1] if len(args) > 1 else Const(None)
            return DictV(base.items + ((args[0], default),)), default
        if attr == "pop" and args:
            found = lookup_key(base, args[0])
            if found is None or isinstance(found, Unknown):
                return None
            wanted = plain(args[0])
            return DictV(tuple((k, v) for k, v in base.items if plain(k) != wanted)), found
    return None


def with_item(base: Value, key: Value, value: Value) -> Optional[Value]:
    """The list or dict after `base[key] = value`, or None when that is not known."""
    if isinstance(base, DictV):
        return DictV(_last_wins(list(base.items) + [(key, value)]))
    index = plain(key)
    if isinstance(base, Seq) and base.kind == "list" and isinstance(index, int) \
            and -len(base.items) <= index < len(base.items):
        items = list(base.items)
        items[index] = value
        return Seq(tuple(items), "list")
    return None


def _bounded(seq: Seq) -> Value:
    if len(seq.items) > MAX_ITEMS:
        return Unknown(f"a list of more than {MAX_ITEMS:,} items")
    return seq
