"""A CSV file cut into byte ranges of a given number of rows, each read by the worker that
scores it: the main process only finds where rows end, so reading, scoring and writing all
spread over the workers, and a chunk crosses between processes as four numbers.

Rows end where pandas' reader ends them: at a line break outside quotes (a quote character
inside a quoted field is doubled, so a line break is outside quotes when the quotes before
it are even in number), and a line holding only spaces, tabs or nothing is no row (pandas'
skip_blank_lines). A worker checks that it read as many rows as the range was cut for, so a
file read otherwise is refused rather than numbered wrongly.
"""
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .input_errors import InputError

BLOCK_BYTES = 1 << 20
LONGEST_LINE_BYTES = 64 << 20  # a CSV with no line break in this much is refused
NEWLINE, RETURN, QUOTE = ord("\n"), ord("\r"), ord('"')
LINE_BREAKS = "save it as a CSV file with line breaks of \\n or \\r\\n"
BLANK_BYTES = b" \t\r"
_IS_BLANK = np.zeros(256, bool)  # by byte value
_IS_BLANK[list(BLANK_BYTES)] = True


@dataclass(frozen=True)
class CsvRange:
    """Rows `first_row` to `first_row + rows` of a CSV file: bytes `start` to `end`."""
    path: str
    start: int
    end: int
    names: tuple[str, ...]
    first_row: int
    rows: int
    label: str

    def read(self):
        """The range's rows as a DataFrame; InputError for rows pandas cannot read."""
        import pandas as pd
        with open(self.path, "rb") as handle:
            handle.seek(self.start)
            data = handle.read(self.end - self.start)
        where = f"{self.label}: {Path(self.path).name}, from row {self.first_row:,},"
        with warnings.catch_warnings():
            # A row with more fields than the header: pandas warns and shifts it; refused here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                frame = pd.read_csv(io.BytesIO(data), header=None, names=list(self.names),
                                    index_col=False, encoding="utf-8")
            except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
                raise InputError(f"{self.label}: {Path(self.path).name} is not a CSV file "
                                 f"that can be read ({' '.join(str(error).split())}, counting "
                                 f"lines from row {self.first_row:,}): fix the file (a stray "
                                 "comma or quote?) and score it again") from None
            except UnicodeDecodeError as error:
                raise InputError(f"{where} is not UTF-8 text ({error}): save it as UTF-8 "
                                 "CSV") from None
        if len(frame) != self.rows:
            raise InputError(f"{where} reads as {len(frame):,} rows where {self.rows:,} were "
                             f"counted, so its rows cannot be numbered: {LINE_BREAKS}")
        return frame


def csv_ranges(path: Path, rows_per_range: int, label: str,
               first_row: int = 0) -> Iterator[CsvRange]:
    """The file's rows after its header, `rows_per_range` at a time, numbered from
    `first_row`; InputError for an empty file."""
    names = _header_names(path, label)
    start = last_end = None
    row, pending = first_row, 0
    for ends in record_ends(path, label):
        if start is None:  # the first record is the header
            if ends.size == 0:
                continue
            start, ends = int(ends[0]), ends[1:]
        # ends[i] ends the row pending + i + 1 of the range being filled.
        for end in ends[rows_per_range - pending - 1::rows_per_range].tolist():
            yield CsvRange(str(path), start, end, names, row, rows_per_range, label)
            start, row = end, row + rows_per_range
        if len(ends):
            last_end = int(ends[-1])
        pending = (pending + len(ends)) % rows_per_range
    if pending:
        yield CsvRange(str(path), start, last_end, names, row, pending, label)


def record_ends(path: Path, label: str) -> Iterator[np.ndarray]:
    """The byte offsets just past each record (header included) of a CSV file that is not
    blank, a block of the file at a time. A block is cut after its last line break, the rest
    carried into the next, so that a line lies in one block."""
    name = Path(path).name
    with open(path, "rb") as handle:
        offset, carried, in_quotes = 0, b"", False
        while data := handle.read(BLOCK_BYTES):
            text = carried + data
            cut = text.rfind(b"\n") + 1
            if not cut:
                if len(text) > LONGEST_LINE_BYTES:
                    raise InputError(f"{label}: {name} has no line break in its "
                                     f"{len(text) >> 20} MB from byte {offset:,}: {LINE_BREAKS}")
                carried = text
                continue
            ends, in_quotes = _block_record_ends(text[:cut], in_quotes, label, name)
            yield offset + ends
            offset, carried = offset + cut, text[cut:]
        if carried:  # the last line, without its line break
            ends, in_quotes = _block_record_ends(carried + b"\n", in_quotes, label, name)
            yield np.minimum(offset + ends, offset + len(carried))
        if in_quotes:  # a quote left open: read to the end, where pandas says what is wrong
            yield np.array([offset + len(carried)])


def _block_record_ends(block: bytes, in_quotes: bool, label: str,
                       name: str) -> tuple[np.ndarray, bool]:
    """The offsets past the line breaks of `block` that end a record that is not blank, and
    whether the block ends inside quotes (`in_quotes`: whether it starts inside them)."""
    codes = np.frombuffer(block, np.uint8)
    breaks = np.flatnonzero(codes == NEWLINE)
    starts_quoted, quotes = in_quotes, None
    if QUOTE in block:
        quotes = np.cumsum(codes == QUOTE, dtype=np.int32)
        in_quotes = bool((int(quotes[-1]) + in_quotes) % 2)
        breaks = breaks[(quotes[breaks] + starts_quoted) % 2 == 0]
    if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
        # pandas also ends a line at a \r alone (old Mac files), which this does not count.
        returns = np.flatnonzero(codes == RETURN)
        alone = returns[codes[returns + 1] != NEWLINE]  # the block ends in \n
        if quotes is None or ((quotes[alone] + starts_quoted) % 2 == 0).any():
            raise InputError(f"{label}: {name} ends lines with \\r alone: {LINE_BREAKS}")
    if breaks.size == 0:
        return breaks, in_quotes
    starts = np.concatenate(([0], breaks[:-1] + 1))
    # A line is blank when it holds only spaces, tabs and \r: most lines start with
    # something else, which settles it; the few others are looked at whole.
    maybe_blank = np.flatnonzero((starts == breaks) | _IS_BLANK[codes[starts]])
    blank = [i for i in maybe_blank.tolist() if not (i == 0 and starts_quoted)
             and not block[starts[i]:breaks[i]].strip(BLANK_BYTES)]
    return np.delete(breaks, blank) + 1, in_quotes


def _header_names(path: Path, label: str) -> tuple[str, ...]:
    import pandas as pd
    try:
        return tuple(pd.read_csv(path, nrows=0, index_col=False, encoding="utf-8-sig").columns)
    except pd.errors.EmptyDataError:
        raise InputError(f"{label}: {Path(path).name} is empty: give a CSV file with a header "
                         "row and rows to score") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{label}: {Path(path).name} is not a CSV file that can be read "
                         f"({' '.join(str(error).split())}): save it as UTF-8 CSV") from None
