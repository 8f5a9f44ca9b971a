"""CSV files read into one DataFrame, with errors that name the file and what to do."""
from pathlib import Path
from typing import Sequence

from .errors import DataError


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


def read_csv_files(files: Sequence[Path], label: str):
    """All the files as one DataFrame (they must share their columns)."""
    import pandas as pd
    frames = []
    for file in files:
        try:
            frames.append(pd.read_csv(file))
        except pd.errors.EmptyDataError:
            raise DatasetReadError(f"{label}: file {Path(file).name} is empty. Fix the source "
                                   "data and register the dataset again.") from None
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise DatasetReadError(
                f"{label}: file {Path(file).name} is not a readable CSV ({error}). Fix the "
                "source data and register it again.") from None
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
