"""Plain-text tables and JSON for the command line."""
import json
from typing import Sequence


def print_table(headers: Sequence[str], rows: Sequence[Sequence], empty: str) -> None:
    """Columns padded to their widest cell; `empty` when there are no rows."""
    if not rows:
        print(empty)
        return
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def print_json(value) -> None:
    """Indented JSON on stdout."""
    print(json.dumps(value, indent=2, sort_keys=True, default=str))


def short_time(iso: str | None) -> str:
    """2026-11-26T02:20:16.123+00:00 -> 2026-11-26 02:20:16"""
    return iso[:19].replace("T", " ") if iso else ""
