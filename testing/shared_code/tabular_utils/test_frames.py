"""check_frame: a training or testing table checked, with errors naming the column and fix."""
import numpy as np
import pandas as pd
import pytest

from shared_code.amltoolbox.errors import DataError
from shared_code.tabular_utils.frames import check_frame

SOURCE = "dataset 'regression-t-training-01' version 2"
FEATURES = ["age", "bmi"]


@pytest.fixture(name="frame")
def fixture_frame():
    return pd.DataFrame({"age": [30, 40, 50], "bmi": [20.5, 25.0, 30.1], "target": [1, 2, 3],
                         "extra": ["x", "y", "z"]})


def test_a_good_table_gives_its_features_and_target_as_floats(frame):
    checked = check_frame(frame, FEATURES, "target", SOURCE)
    assert list(checked.columns) == ["age", "bmi", "target"]
    assert all(dtype == np.float64 for dtype in checked.dtypes)


def test_without_a_target_only_the_features_are_checked(frame):
    assert list(check_frame(frame.drop(columns="target"), FEATURES, None, SOURCE).columns) == [
        "age", "bmi"]


def test_numbers_written_as_text_are_accepted(frame):
    frame["age"] = ["30", "40", "50"]
    assert check_frame(frame, FEATURES, "target", SOURCE)["age"].tolist() == [30.0, 40.0, 50.0]


def _set(frame, column, row, value):
    frame = frame.astype({column: object})
    frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize("change, message", [
    (lambda f: f.iloc[:0], "has no rows: register a dataset with data in it"),
    (lambda f: f.rename(columns={"bmi": "BMI"}),
     r"is missing the column\(s\) 'bmi' \(did you mean 'BMI'\?\). Its columns are: age, BMI, "
     r"target, extra. Rename them in the data, or change training.features"),
    (lambda f: f.drop(columns=["target", "age"]), r"missing the column\(s\) 'age', 'target'"),
    (lambda f: _set(f, "bmi", 1, "heavy"),
     r"'bmi' has 1 non-numeric value\(s\), e.g. 'heavy' in row 2. Every feature and the "
     "target must be a number"),
    (lambda f: f.assign(age=[True, False, True]), "'age' holds true/false values"),
    (lambda f: _set(f, "target", 2, np.nan),
     r"the target 'target' is missing \(NaN\) in 1 row\(s\), e.g. row 3. Drop or fill"),
    (lambda f: _set(f, "bmi", 0, np.nan),
     r"column 'bmi' has 1 missing or infinite value\(s\), e.g. row 1. Impute or drop"),
    (lambda f: _set(f, "age", 2, np.inf), "column 'age' has 1 missing or infinite value"),
    (lambda f: _set(f, "target", 1, -np.inf),
     r"the target 'target' is infinite in 1 row\(s\), e.g. row 2. Drop or fix those rows"),
    (lambda f: _set(f, "bmi", 2, 1e308),
     r"column 'bmi' has 1 value\(s\) beyond ±3.4e\+38, the largest a 32-bit float holds, "
     r"e.g. 1e\+308 in row 3. Fix or rescale them"),
    (lambda f: _set(f, "age", 0, -1e39), r"column 'age' has 1 value\(s\) beyond ±3.4e\+38"),
    (lambda f: _set(f, "target", 0, 4e38), r"column 'target' has 1 value\(s\) beyond"),
])
def test_a_bad_table_is_refused_naming_the_source_the_column_and_the_fix(frame, change, message):
    with pytest.raises(DataError, match=rf"^{SOURCE}.*{message}"):
        check_frame(change(frame), FEATURES, "target", SOURCE)


def test_values_a_32_bit_float_holds_are_accepted(frame):
    frame = _set(frame, "bmi", 0, 3.4e38)
    assert check_frame(frame, FEATURES, "target", SOURCE)["bmi"][0] == 3.4e38
