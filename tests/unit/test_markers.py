"""The marker grammar's failure output: expected and actual findings side by side."""
from __future__ import annotations

from markers import markers_in_text, side_by_side


def test_side_by_side_flags_missing_and_unexpected_findings_with_their_messages():
    expected = markers_in_text("defs/assets.py", "x = 1  # expect: DG002\ny = 2  # expect: DG003\n")
    actual = [("defs/assets.py", 1, "DG002", "nothing produces 'custmer'"),
              ("defs/assets.py", 9, "DG005", "op 'a' reads t")]
    table = side_by_side(expected, actual).splitlines()
    assert table[1].split("|") == ["expected".ljust(len(table[1].split("|")[0])), " actual"]
    assert "defs/assets.py:1 DG002 | defs/assets.py:1 DG002" in " ".join(" ".join(table).split())
    assert any("defs/assets.py:2 DG003" in row and row.endswith("<- missing") for row in table)
    assert any(row.rstrip().endswith("defs/assets.py:9 DG005   <- unexpected") for row in table)
    assert any("nothing produces 'custmer'" in row for row in table)
