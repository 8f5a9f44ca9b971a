"""CSV files read into one DataFrame, with errors that name the file and what to do; also
refused, as pandas reads them wrongly without a word: a column named twice, another
delimiter, a row with more fields than the header."""
import csv
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Sequence

from .errors import DataError

OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
_FIX = "Fix the source data and register the dataset again."


class DatasetReadError(DataError):
    """A dataset's files cannot be read as a table."""


def csv_files_in(folder: Path, label: str) -> list[Path]:
    """The CSV files of a folder (or the file itself), sorted; an error when there are none."""
    folder = Path(folder)
    files = sorted(folder.rglob("*.csv")) if folder.is_dir() else [folder]
    if not files or not files[0].exists():
        raise DatasetReadError(f"{label} holds no CSV files ({folder}); put the data there and "
                               "register the dataset again")
    return files


def _header(file: Path) -> list[str] | None:
    with open(file, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), None)


def check_header(file: Path, label: str) -> None:
    """Refuse a header that names a column twice, or that is separated by another delimiter."""
    try:
        header = _header(file)
    except (UnicodeDecodeError, csv.Error):
        return  # pandas reports it, naming the file
    if not header:
        return
    name = Path(file).name
    if len(header) == 1:
        found = next((d for d in OTHER_DELIMITERS if d in header[0]), None)
        if found:
            raise DatasetReadError(
                f"{label}: file {name} has one column, '{header[0][:60]}', which holds "
                f"{OTHER_DELIMITERS[found]}: the file seems separated by {found!r}, not commas. "
                "Save it as comma-separated CSV (in Excel: CSV UTF-8, comma delimited) and "
                "register the dataset again.")
    twice = [column for column, count in Counter(header).items() if count > 1]
    if twice:
        raise DatasetReadError(f"{label}: file {name} names the column(s) "
                               f"{', '.join(map(repr, twice))} more than once in its header: "
                               f"give every column its own name. {_FIX}")


def _row_with_extra_fields(file: Path) -> tuple[int, int, int] | None:
    """(line, fields, header fields) of the first row with more fields than the header."""
    with open(file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                return reader.line_num, len(row), len(header)
    return None


def _extra_fields_message(file: Path, label: str, error: Exception) -> str:
    found = _row_with_extra_fields(file)
    if found is None:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if match is None:
            return (f"{label}: file {Path(file).name} is not a readable CSV "
                    f"({' '.join(str(error).split())}). {_FIX}")
        found = int(match[2]), int(match[3]), int(match[1])
    line, fields, expected = found
    return (f"{label}: file {Path(file).name}, line {line} has {fields} fields but the header "
            f"has {expected} (a stray comma, or a value that holds a comma without quotes?). "
            f"{_FIX}")


def read_csv_file(file: Path, label: str):
    """One CSV file as a DataFrame, or a DatasetReadError naming it, the row and what to do."""
    import pandas as pd
    check_header(file, label)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # index_col=False: a row's extra fields are not taken for an index.
            frame = pd.read_csv(file, index_col=False)
    except pd.errors.EmptyDataError:
        raise DatasetReadError(f"{label}: file {Path(file).name} is empty. {_FIX}") from None
    except pd.errors.ParserError as error:
        raise DatasetReadError(_extra_fields_message(file, label, error)) from None
    except UnicodeDecodeError as error:
        raise DatasetReadError(f"{label}: file {Path(file).name} is not a readable CSV "
                               f"({error}): save it as UTF-8. {_FIX}") from None
    lost = [w for w in caught if issubclass(w.category, pd.errors.ParserWarning)]
    if lost:
        raise DatasetReadError(_extra_fields_message(file, label, lost[0].message))
    return frame


def read_csv_files(files: Sequence[Path], label: str):
    """All the files as one DataFrame (they must share their columns)."""
    import pandas as pd
    frames = [read_csv_file(file, label) for file in files]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
