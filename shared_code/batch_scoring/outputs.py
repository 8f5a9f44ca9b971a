"""The answers and the rejects of a batch, each written to a temporary name beside its
path and renamed when complete: an interrupted or failed batch leaves no partial file.

The output is CSV, or Parquet when its name ends in .parquet: the key column (row or path)
then the answer's fields. In CSV a field holding a list (an image's probabilities) is
written as JSON. The rejects go to <output stem>.rejects.csv: key, message.
"""
import csv
import io
import json
import os
import tempfile
from pathlib import Path

from shared_code.amltoolbox.disk_space import disk_full_reported

from .inputs import PARQUET_SUFFIX

REJECTS_SUFFIX = ".rejects.csv"
_NUMBER_TYPES = {int, float, bool}
MESSAGE_COLUMN = "message"
DISK_REMEDY = "give an --output on another disk"


def rejects_path(output: Path) -> Path:
    """Where the rejects of the batch writing `output` go."""
    return output.with_name(output.name.removesuffix(output.suffix) + REJECTS_SUFFIX)


class StagedFile:
    """A file written under a temporary name in the target's folder, renamed on commit()."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with disk_full_reported(self.path, "writing the batch's output", DISK_REMEDY):
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial",
                                            dir=self.path.parent)
        os.close(handle)
        self.staging = Path(name)

    def commit(self) -> None:
        """Put the complete file at its path."""
        os.replace(self.staging, self.path)

    def discard(self) -> None:
        """Remove the unfinished file."""
        self.staging.unlink(missing_ok=True)


class AnswerWriter:
    """The batch's answers, in input order, to CSV or Parquet by the output's suffix."""

    def __init__(self, path: Path, key: str):
        self.file = StagedFile(path)
        self.key = key
        self.columns: list[str] | None = None
        self.rows = 0
        self._parquet = Path(path).suffix.lower() == PARQUET_SUFFIX
        self._handle = self._writer = None

    @property
    def is_csv(self) -> bool:
        """Whether the answers are written as CSV (else Parquet)."""
        return not self._parquet

    def write(self, keys: list, columns: dict[str, list]) -> None:
        """Append the answers for `keys`."""
        if not keys:
            return
        if not self._parquet:
            self.write_csv_text(list(columns), csv_lines(keys, columns), len(keys))
            return
        with disk_full_reported(self.file.path, "writing the batch's output", DISK_REMEDY):
            self._write_parquet(keys, columns)
        self.rows += len(keys)

    def write_csv_text(self, names: list[str], text: str, rows: int) -> None:
        """Append `rows` answers already formatted by csv_lines() (a worker formats its own
        chunk, so that the main process only copies text)."""
        if not rows:
            return
        with disk_full_reported(self.file.path, "writing the batch's output", DISK_REMEDY):
            if self._writer is None:
                self.columns = names
                # Open across write() calls; close() closes it.
                self._handle = open(self.file.staging, "w", newline="",  # pylint: disable=consider-using-with
                                    encoding="utf-8")
                self._writer = csv.writer(self._handle, lineterminator="\n")
                self._writer.writerow([self.key, *self.columns])
            elif names != self.columns:
                raise ValueError(f"answers with the fields {names} after {self.columns}")
            self._handle.write(text)
        self.rows += rows

    def _write_parquet(self, keys: list, columns: dict[str, list]) -> None:
        import pyarrow
        import pyarrow.parquet as pq
        table = pyarrow.table({self.key: keys, **columns})
        if self._writer is None:
            self.columns = list(columns)
            self._writer = pq.ParquetWriter(self.file.staging, table.schema)
        self._writer.write_table(table.cast(self._writer.schema))

    def close(self, keep: bool) -> None:
        """Finish the file: renamed into place when `keep`, else removed."""
        with disk_full_reported(self.file.path, "writing the batch's output", DISK_REMEDY):
            try:
                if self._writer is not None:
                    (self._writer if self._parquet else self._handle).close()
            except OSError:
                self.file.discard()
                raise
        if keep and self.columns is not None:
            self.file.commit()
        else:
            self.file.discard()


def csv_lines(keys, columns: dict[str, list]) -> str:
    """CSV lines of each key then its answer's fields (a list or object as JSON)."""
    from .csv_columns import arrow_csv_lines
    text = arrow_csv_lines(keys, columns)
    if text is not None:
        return text
    cells = [keys, *columns.values()]
    if all(_numbers_only(values) for values in cells):
        return _number_lines(cells)
    buffer = io.StringIO()
    values = [_csv_cells(column) for column in columns.values()]
    csv.writer(buffer, lineterminator="\n").writerows(zip(keys, *values))
    return buffer.getvalue()


def _numbers_only(values) -> bool:
    return isinstance(values, range) or set(map(type, values)) <= _NUMBER_TYPES


def _number_lines(columns: list) -> str:
    """The lines csv.writer writes for columns of numbers (it writes each as repr() does,
    and quotes none), in one %-formatting: a third of its time."""
    rows = len(columns[0])
    cells = [None] * (rows * len(columns))
    for index, values in enumerate(columns):
        cells[index::len(columns)] = values
    return (",".join(["%r"] * len(columns)) + "\n") * rows % tuple(cells)


def _csv_cells(values: list) -> list:
    if values and isinstance(values[0], (list, dict)):
        return [json.dumps(value) for value in values]
    return values


class RejectsWriter:
    """The rejected rows or files and why, written as they come; renamed into place when
    the batch ends, and an old file removed when there are none (it would describe another
    batch)."""

    def __init__(self, path: Path, key: str):
        self.path, self.key = Path(path), key
        self.count = 0
        self._file: StagedFile | None = None
        self._handle = self._writer = None

    def write(self, rejects: list[tuple[object, str]]) -> None:
        """Append (key, message) pairs."""
        if not rejects:
            return
        with disk_full_reported(self.path, "writing the batch's rejects", DISK_REMEDY):
            if self._writer is None:
                self._file = StagedFile(self.path)
                # Open across write() calls; close() closes it.
                self._handle = open(self._file.staging, "w", newline="",  # pylint: disable=consider-using-with
                                    encoding="utf-8")
                self._writer = csv.writer(self._handle, lineterminator="\n")
                self._writer.writerow([self.key, MESSAGE_COLUMN])
            self._writer.writerows(rejects)
        self.count += len(rejects)

    def close(self, keep: bool) -> None:
        """Rename the file into place when `keep` (else remove it)."""
        if self._file is None:
            if keep:
                self.path.unlink(missing_ok=True)
            return
        with disk_full_reported(self.path, "writing the batch's rejects", DISK_REMEDY):
            try:
                self._handle.close()
            except OSError:
                self._file.discard()
                raise
        if keep:
            self._file.commit()
        else:
            self._file.discard()
