"""Drift of a table: each of the model's features in new CSV data against the training
dataset, read in chunks so that the new data's size costs time, not memory."""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from shared_code.amltoolbox.csv_reading import (DatasetReadError, check_header, csv_files_in,
                                                read_csv_files)
from shared_code.amltoolbox.errors import DataError

from .drift_config import DriftThresholds
from .drift_report import DriftReport, FeatureDrift, numeric_drift
from .streaming_stats import ColumnAccumulator, reference

CHUNK_ROWS = 100_000


class NoNewRowsError(DataError):
    """New data without a single row."""


class NotRowsError(DataError):
    """Logged requests whose data is not rows of named features."""


@dataclass(frozen=True)
class NewTable:
    """New data as a table: its columns, and its rows in chunks of the columns asked for."""
    label: str
    columns: list[str]
    chunks: Callable[[set[str]], Iterator]


def csv_table(path: Path, label: str) -> NewTable:
    """The CSV file, or folder of CSV files, at `path`."""
    files = csv_files_in(path, label)
    return NewTable(label, new_columns(files, label),
                    lambda wanted: csv_chunks(files, wanted, label))


def request_table(requests: Callable[[], Iterator], label: str) -> NewTable:
    """The rows of logged requests (request_log.py); `requests()` yields each
    request's data, a list of {feature: value} rows."""
    columns: dict[str, None] = {}
    for data in requests():
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise NotRowsError(f"{label}: a logged request's data is not a list of rows of "
                               "named features; --requests checks models scored by rows")
        for row in data:
            columns.update(dict.fromkeys(row))

    def chunks(wanted: set[str]) -> Iterator:
        import pandas as pd  # pylint: disable=import-outside-toplevel
        rows: list[dict] = []
        for data in requests():
            rows += [{k: v for k, v in row.items() if k in wanted} for row in data]
            if len(rows) >= CHUNK_ROWS:
                yield pd.DataFrame(rows)
                rows = []
        if rows:
            yield pd.DataFrame(rows)
    return NewTable(label, list(columns), chunks)


def feature_columns(model_info: dict, training_columns: Sequence[str]) -> list[str]:
    """The features the model reads (model_info.json), else every training column but the
    target."""
    features = model_info.get("features")
    if features:
        return list(features)
    target = model_info.get("target")
    return [c for c in training_columns if c != target]


def csv_chunks(files: Sequence[Path], columns: set[str], label: str) -> Iterator:
    """The new data's rows, CHUNK_ROWS at a time: only `columns` that each file has."""
    import pandas as pd  # pylint: disable=import-outside-toplevel  # the CLI starts without it
    for file in files:
        check_header(file, label)
        try:
            header = pd.read_csv(file, nrows=0, index_col=False).columns
            # A file without any of `columns` is still read (its first column) for its rows.
            wanted = [c for c in header if c in columns] or list(header[:1])
            yield from pd.read_csv(file, usecols=wanted, chunksize=CHUNK_ROWS, index_col=False)
        except pd.errors.EmptyDataError:
            raise DatasetReadError(f"{label}: file {file.name} is empty; give a CSV file with "
                                   "a header and rows") from None
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise DatasetReadError(f"{label}: file {file.name} is not a readable CSV "
                                   f"({' '.join(str(error).split())}); save it as UTF-8 "
                                   "comma-separated CSV") from None


def new_columns(files: Sequence[Path], label: str) -> list[str]:
    """Every column named in the new data's headers, in order of appearance."""
    import pandas as pd  # pylint: disable=import-outside-toplevel
    seen: dict[str, None] = {}
    for file in files:
        try:
            seen.update(dict.fromkeys(pd.read_csv(file, nrows=0, index_col=False).columns))
        except pd.errors.EmptyDataError:
            raise DatasetReadError(f"{label}: file {file.name} is empty; give a CSV file with "
                                   "a header and rows") from None
    return list(seen)


def frame_table(frame, label: str) -> NewTable:
    """A DataFrame already read (an Azure ML Tabular dataset), CHUNK_ROWS rows at a time."""
    def chunks(wanted: set[str]) -> Iterator:
        columns = [c for c in frame.columns if c in wanted] or list(frame.columns[:1])
        for start in range(0, len(frame), CHUNK_ROWS):
            yield frame.iloc[start:start + CHUNK_ROWS][columns]
    return NewTable(label, [str(c) for c in frame.columns], chunks)


def tabular_drift(training_path: Path, new: NewTable, model_info: dict,  # pylint: disable=too-many-arguments
                  thresholds: DriftThresholds, training_label: str,
                  model_id: str) -> DriftReport:
    """Compare the new table with the training dataset at `training_path`."""
    training = read_csv_files(csv_files_in(training_path, training_label), training_label)
    return frame_drift(training, new, model_info, thresholds, training_label, model_id)


def frame_drift(training, new: NewTable, model_info: dict,  # pylint: disable=too-many-arguments,too-many-locals
                thresholds: DriftThresholds, training_label: str,
                model_id: str) -> DriftReport:
    """Compare the new table with the training data, a DataFrame."""
    import pandas as pd  # pylint: disable=import-outside-toplevel
    new_label = new.label
    features = feature_columns(model_info, list(training.columns))
    present = new.columns
    notes, counters = [], {}
    if not model_info.get("features"):
        notes.append("no model_info.json lists the model's features: every training column "
                     "but the target it names (if any) is compared")
    for name in features:
        if name not in training.columns:
            notes.append(f"{name} is not a column of the training data: not compared")
            continue
        column = pd.to_numeric(training[name], errors="coerce")
        if column.isna().all():
            notes.append(f"{name} is not numeric in the training data: not compared")
            continue
        counters[name] = ColumnAccumulator(reference(column.to_numpy()))
    rows = 0
    for chunk in new.chunks(set(counters)):
        rows += len(chunk)
        for name, counter in counters.items():
            if name in chunk.columns:
                counter.add(pd.to_numeric(chunk[name], errors="coerce").to_numpy(dtype=float))
            else:  # a file without the column: its rows have no value for it
                counter.add([float("nan")] * len(chunk))
    if rows == 0:
        raise NoNewRowsError(f"{new_label} holds no rows: nothing to compare with the training "
                             "data")
    results = []
    for name in features:
        if name not in present:
            results.append(FeatureDrift(name, reasons=["column missing from the new data"]))
        elif name in counters:
            results.append(numeric_drift(name, counters[name], thresholds))
    added = [c for c in present if c not in training.columns]
    return DriftReport(model_id, training_label, new_label, "tabular", rows, thresholds,
                       results, columns_added=added, notes=notes)
