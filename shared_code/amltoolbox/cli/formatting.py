"""Plain-text tables and JSON for the command line, and paging through long lists."""
import argparse
import json
from typing import Sequence

from .arguments import page_offset, page_size


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


def print_json_list(items: Sequence[str]) -> None:
    """A JSON list on stdout, one item (given as JSON text) a line."""
    print("[\n" + ",\n".join(items) + "\n]" if items else "[]")


def short_time(iso: str | None) -> str:
    """2026-11-26T02:20:16.123+00:00 -> 2026-11-26 02:20:16"""
    return iso[:19].replace("T", " ") if iso else ""


def add_paging(parser: argparse.ArgumentParser, default_limit: int | None) -> None:
    """--limit and --offset: one page of a long list (the next: --offset plus --limit)."""
    parser.add_argument("--limit", type=page_size, default=default_limit, metavar="N",
                        help=f"at most N of them (default: {default_limit or 'all'})")
    parser.add_argument("--offset", type=page_offset, default=0, metavar="N",
                        help="skip the first N (default: 0)")


def past_the_end(args) -> str | None:
    """What an empty page says when --offset skipped past the last item."""
    if not args.offset:
        return None
    return f"nothing after the first {args.offset} (try a smaller --offset)"
