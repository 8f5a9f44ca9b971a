"""Table rows as JSON objects, turned into a feature matrix with strict checks; the served
model's features."""
import logging
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.serving.model_loading import ModelLoadError, ServedModel
from shared_code.amltoolbox.serving.settings import ServingSettings
from shared_code.amltoolbox.serving.validation import ClientError
from shared_code.tabular_utils.tabular_records import (LARGEST_VALUE, check_feature_order,
                                                       records_to_matrix, served_features)

FEATURES = ["age", "bmi", "bp"]
GOOD = {"age": 61, "bmi": 25.8, "bp": 90.0}


def test_rows_become_a_float_matrix_in_the_features_order_whatever_the_key_order():
    rows = [GOOD, {"bp": 70, "age": 30.5, "bmi": 20}]
    matrix = records_to_matrix(rows, FEATURES)
    assert matrix.dtype == np.float64
    np.testing.assert_array_equal(matrix, [[61, 25.8, 90], [30.5, 20, 70]])


def test_a_model_of_one_feature_gets_a_one_column_matrix():
    np.testing.assert_array_equal(records_to_matrix([{"x": 1}, {"x": 2.5}], ["x"]), [[1], [2.5]])


def test_values_at_the_float32_limit_are_accepted():
    matrix = records_to_matrix([dict(GOOD, bp=-LARGEST_VALUE)], FEATURES)
    assert matrix[0, 2] == -LARGEST_VALUE


@pytest.mark.parametrize("row, fragment", [
    ([61, 25.8, 90], "row 1 is a list; each row must be an object"),
    (None, "row 1 is null"),
    ({"age": 61, "bp": 90}, "row 1 is missing the column(s) bmi;"),
    ({"age": 61}, "missing the column(s) bmi, bp;"),
    (dict(GOOD, sex=1), "row 1 has unknown column(s) sex;"),
    ({"age": 61, "BMI": 25.8, "bp": 90}, "missing the column(s) bmi and has unknown column(s) BMI"),
    (dict(GOOD, bmi="25.8"), "row 1, column 'bmi': expected a number, got a string: \"25.8\""),
    (dict(GOOD, bmi=None), "row 1, column 'bmi': expected a number, got null"),
    (dict(GOOD, bmi=True), "expected a number, got true/false: true"),
    (dict(GOOD, bmi={"value": 25.8}), "expected a number, got an object"),
    (dict(GOOD, bmi=[25.8]), "expected a number, got a list"),
    (dict(GOOD, bmi=float("nan")), "NaN is not a finite number"),
    (dict(GOOD, bmi=float("inf")), "Infinity is not a finite number"),
    (dict(GOOD, bmi=-float("inf")), "-Infinity is not a finite number"),
    (dict(GOOD, bmi=1e300), "1e+300 is too large"),
    (dict(GOOD, bmi=10 ** 400), "is too large"),
    (dict(GOOD, bmi="x" * 100), "..."),
])
def test_a_bad_row_is_a_400_naming_the_row_and_what_is_wrong(row, fragment):
    with pytest.raises(ClientError) as caught:
        records_to_matrix([GOOD, row], FEATURES)
    assert fragment in caught.value.message
    assert caught.value.status == 400


def test_a_model_that_remembers_its_columns_must_agree_with_model_info(mocker):
    model = mocker.Mock(feature_names_in_=np.array(["bmi", "age", "bp"]))
    with pytest.raises(ValueError, match="trained on"):
        check_feature_order(model, FEATURES)
    check_feature_order(mocker.Mock(feature_names_in_=np.array(FEATURES)), FEATURES)
    check_feature_order(object(), FEATURES)  # a model that does not remember is taken on trust


def _served(model, info: dict, folder=None) -> ServedModel:
    settings = ServingSettings("model_a", folder) if folder else None
    return ServedModel(model=model, info=info, name="model_a", version="1",
                       folder=Path("files"), settings=settings)


def test_the_features_are_model_infos_checked_against_the_models_own():
    model = SimpleNamespace(feature_names_in_=np.array(FEATURES))
    assert served_features(_served(model, {"features": FEATURES})) == FEATURES
    with pytest.raises(ValueError, match="lists the features .* but the model was trained on"):
        served_features(_served(model, {"features": FEATURES[::-1]}))


def test_model_info_that_lists_no_features_is_refused():
    with pytest.raises(ModelLoadError, match="files/model_info.json lists no features"):
        served_features(_served(object(), {"features": []}))


def test_without_model_info_the_models_own_features_are_taken_and_said(caplog):
    model = SimpleNamespace(feature_names_in_=np.array(FEATURES))
    with caplog.at_level(logging.INFO, logger="azmlinfsrv"):
        assert served_features(_served(model, {})) == FEATURES
    assert "model_a:1: model_info.json gives no features; taking the model's" in caplog.text


def test_else_the_model_folders_configured_features_are_taken():
    folder = model_folder("model_a")
    features = load_model_config(folder).training["features"]
    assert served_features(_served(object(), {}, folder)) == features


def test_with_nothing_to_say_which_columns_the_model_is_refused_saying_where_to_list_them(
        tmp_path):
    with pytest.raises(ModelLoadError, match="nothing says which columns model_a:1 takes"):
        served_features(_served(object(), {}, tmp_path))


def test_a_data_frame_gives_the_matrix_its_rows_as_objects_give():
    import pandas as pd
    frame = pd.DataFrame({"bp": [90.0, 70.5], "age": [61, 30], "bmi": [25.8, 20.0]})
    expected = records_to_matrix(frame.to_dict("records"), FEATURES)
    np.testing.assert_array_equal(records_to_matrix(frame, FEATURES), expected)


@pytest.mark.parametrize("column, values, message", [
    ("bmi", [25.8, float("nan")], "row 1, column 'bmi': NaN is not a finite number"),
    ("bmi", ["25.8", "20"], "row 0, column 'bmi': expected a number, got a string"),
    ("bmi", [True, False], "row 0, column 'bmi': expected a number, got true/false"),
    ("extra", [1, 2], "row 0 has unknown column\\(s\\) extra"),
])
def test_a_data_frame_is_refused_with_the_row_checks_message(column, values, message):
    import pandas as pd
    frame = pd.DataFrame({"age": [61, 30], "bmi": [25.8, 20.0], "bp": [90.0, 70.0]})
    frame[column] = values
    with pytest.raises(ClientError, match=message):
        records_to_matrix(frame, FEATURES)
