"""Command-line values checked as they are parsed: a bad one is argparse's one-line error and
exit status 2, never a traceback from deeper down (SQLite takes integers up to 2**63 - 1)."""
import argparse
from typing import Callable

LARGEST_INTEGER = 2**63 - 1  # SQLite's INTEGER


def whole_number(name: str, low: int, high: int, hint: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, or an error ending with `hint`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"'{text}' is not a {name}: give a whole number from {low:,} to {high:,}; {hint}")
        return value
    parse.__name__ = name  # what argparse calls the type in its own messages
    return parse


version_number = whole_number("version number", 1, LARGEST_INTEGER,
                              "`models list` shows the registered versions")
port_number = whole_number("port number", 1, 65535, "5001 is the default")
worker_count = whole_number("number of workers", 1, 512, "one per core is the default")
page_size = whole_number("number of items", 1, LARGEST_INTEGER, "--limit N shows N at most")
page_offset = whole_number("number to skip", 0, LARGEST_INTEGER,
                           "--offset N skips the first N")
