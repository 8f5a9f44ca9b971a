"""Checks that a training or testing table is what the model needs, with clear errors."""
import difflib
from typing import Sequence

import numpy as np
import pandas as pd

from shared_code.amltoolbox.errors import DataError

from .tabular_records import LARGEST_VALUE


def _missing_columns_message(missing: Sequence[str], present: Sequence[str], source: str) -> str:
    by_lower_case = {str(name).lower(): str(name) for name in present}  # 'BMI' for 'bmi' too
    hints = []
    for column in missing:
        close = difflib.get_close_matches(column.lower(), list(by_lower_case), n=1, cutoff=0.6)
        hints.append(f"'{column}'" + (f" (did you mean '{by_lower_case[close[0]]}'?)"
                                      if close else ""))
    return (f"{source} is missing the column(s) {', '.join(hints)}. Its columns are: "
            f"{', '.join(map(str, present))}. Rename them in the data, or change "
            "training.features / training.target in config/model_config.yml.")


def _non_numeric(frame: pd.DataFrame, columns: Sequence[str], source: str) -> str | None:
    problems = []
    for column in columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            converted = pd.to_numeric(frame[column], errors="coerce")
            bad = frame[column][converted.isna() & frame[column].notna()]
            if pd.api.types.is_bool_dtype(frame[column]):
                problems.append(f"'{column}' holds true/false values")
            elif len(bad):
                problems.append(f"'{column}' has {len(bad)} non-numeric value(s), e.g. "
                                f"{bad.iloc[0]!r} in row {bad.index[0] + 1}")
    if problems:
        return (f"{source}: {'; '.join(problems)}. Every feature and the target must be a "
                "number: clean the data and register the dataset again.")
    return None


def check_frame(frame: pd.DataFrame, features: Sequence[str], target: str | None,
                source: str) -> pd.DataFrame:
    """The features (and target) of `frame` as floats, or a DataError saying what is wrong.

    `source` names the dataset or file in the messages ("dataset 'x' version 2").
    """
    if frame.empty:
        raise DataError(f"{source} has no rows: register a dataset with data in it")
    wanted = [*features, *([target] if target else [])]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise DataError(_missing_columns_message(missing, list(frame.columns), source))
    message = _non_numeric(frame, wanted, source)
    if message:
        raise DataError(message)
    numbers = frame[wanted].astype(float)
    if target:
        nan_rows = numbers.index[numbers[target].isna()]
        if len(nan_rows):
            raise DataError(f"{source}: the target '{target}' is missing (NaN) in {len(nan_rows)} "
                            f"row(s), e.g. row {nan_rows[0] + 1}. Drop or fill those rows and "
                            "register the dataset again.")
        infinite_rows = numbers.index[np.isinf(numbers[target])]
        if len(infinite_rows):
            raise DataError(f"{source}: the target '{target}' is infinite in "
                            f"{len(infinite_rows)} row(s), e.g. row {infinite_rows[0] + 1}. Drop "
                            "or fix those rows and register the dataset again.")
    bad = ~np.isfinite(numbers[list(features)])
    if bad.to_numpy().any():
        column = bad.any().idxmax()
        rows = numbers.index[bad[column]]
        raise DataError(f"{source}: column '{column}' has {len(rows)} missing or infinite "
                        f"value(s), e.g. row {rows[0] + 1}. Impute or drop them and register "
                        "the dataset again.")
    message = _beyond_float32(numbers, wanted, source)
    if message:
        raise DataError(message)
    return numbers


def _beyond_float32(numbers: pd.DataFrame, columns: Sequence[str], source: str) -> str | None:
    """Values a 32-bit float cannot hold: models such as XGBoost compute in 32-bit floats,
    where they become infinite and stop training with a C++ stack trace."""
    huge = numbers[list(columns)].abs() > LARGEST_VALUE
    if not huge.to_numpy().any():
        return None
    column = huge.any().idxmax()
    rows = numbers.index[huge[column]]
    return (f"{source}: column '{column}' has {len(rows)} value(s) beyond "
            f"±{LARGEST_VALUE:.3g}, the largest a 32-bit float holds, e.g. "
            f"{numbers.at[rows[0], column]:g} in row {rows[0] + 1}. Fix or rescale them and "
            "register the dataset again.")
