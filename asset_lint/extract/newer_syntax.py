"""Read Python 3.12+ type-parameter syntax (PEP 695) on an older interpreter.

`def f[T](x: T)`, `class Box[T]:` and `type Alias = ...` are valid Python that the running `ast` may
not parse. Type parameters never name assets, so blanking them out (columns kept, so positions stay
right) gives a tree with the same definitions.
"""
from __future__ import annotations

import io
import tokenize
from typing import Optional

_LINE_STARTS = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING})


def _closing_bracket(tokens: list, start: int) -> Optional[int]:
    depth = 0
    for index in range(start, len(tokens)):
        text = tokens[index].string
        if tokens[index].type == tokenize.OP and text in "([{":
            depth += 1
        elif tokens[index].type == tokenize.OP and text in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def without_type_parameters(source: bytes) -> Optional[str]:
    """The source with PEP 695 type parameters blanked and `type X = ...` made an assignment; None if it has none."""
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(source).readline))
        encoding = tokens[0].string if tokens and tokens[0].type == tokenize.ENCODING else "utf-8"
        lines = source.decode(encoding).splitlines(keepends=True)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return None
    lines = [list(line) for line in lines]
    changed = False

    def blank(first: tokenize.TokenInfo, last: tokenize.TokenInfo) -> None:
        (row, col), (end_row, end_col) = first.start, last.end
        while (row, col) < (end_row, end_col):
            line = lines[row - 1]
            if col >= len(line) or line[col] in "\r\n":
                row, col = row + 1, 0
                continue
            line[col] = " "
            col += 1

    for index, token in enumerate(tokens[:-2]):
        name, following = tokens[index + 1], tokens[index + 2]
        if token.type != tokenize.NAME or name.type != tokenize.NAME:
            continue
        is_alias = token.string == "type" and (index == 0 or tokens[index - 1].type in _LINE_STARTS)
        if token.string not in ("def", "class") and not is_alias:
            continue
        if following.type == tokenize.OP and following.string == "[":
            closing = _closing_bracket(tokens, index + 2)
            if closing is None:
                return None
            after = tokens[closing + 1] if closing + 1 < len(tokens) else None
            if is_alias and not (after is not None and after.string == "="):
                continue   # `type[int]` and friends: an ordinary subscript
            blank(following, tokens[closing])
            changed = True
        elif not (is_alias and following.type == tokenize.OP and following.string == "="):
            continue
        if is_alias:
            row, col = token.start
            lines[row - 1][col:col + 4] = list("_=0;")   # same width: `type X = v` becomes `_=0;X = v`
            changed = True
    return "".join("".join(line) for line in lines) if changed else None
