"""Checks every scoring request gets, whatever its rows hold."""
import pytest

from shared_code.amltoolbox.serving.validation import (DEFAULT_MAX_ROWS, ClientError, check_rows,
                                                       json_type, max_rows_setting)


def test_a_list_of_rows_within_the_limit_is_returned_as_it_is():
    rows = [{"a": 1}, {"a": 2}]
    assert check_rows(rows, max_rows=2) is rows


@pytest.mark.parametrize("data, fragment", [
    ({"a": 1}, "not an object"),
    ("rows", "not a string"),
    (None, "not null"),
    (3, "not a number"),
    ([], "empty list"),
])
def test_anything_but_a_non_empty_list_is_a_400(data, fragment):
    with pytest.raises(ClientError, match=fragment) as caught:
        check_rows(data, max_rows=10)
    assert caught.value.status == 400


def test_too_many_rows_is_a_413_that_gives_the_limit():
    with pytest.raises(ClientError, match="3 rows; at most 2") as caught:
        check_rows([1, 2, 3], max_rows=2)
    assert caught.value.status == 413


@pytest.mark.parametrize("serving, expected", [({}, DEFAULT_MAX_ROWS), ({"max_rows": 5}, 5)])
def test_the_row_limit_comes_from_the_serving_settings(serving, expected):
    assert max_rows_setting(serving) == expected


@pytest.mark.parametrize("value", [0, -1, 2.5, "100", True, None])
def test_a_row_limit_that_is_not_a_positive_whole_number_is_refused(value):
    with pytest.raises(ValueError, match="serving.max_rows"):
        max_rows_setting({"max_rows": value})


@pytest.mark.parametrize("value, words", [
    ({}, "an object"), ([], "a list"), ("x", "a string"), (True, "true/false"),
    (None, "null"), (1, "a number"), (1.5, "a number"), (b"x", "bytes"),
])
def test_json_types_are_named_in_a_json_users_words(value, words):
    assert json_type(value) == words


def test_a_model_of_images_names_them_and_may_answer_too_many_with_a_400():
    with pytest.raises(ClientError, match="'data' has 3 images; at most 2") as caught:
        check_rows([1, 2, 3], 2, item="image", too_many_status=400)
    assert caught.value.status == 400
    with pytest.raises(ClientError, match="send at least one image"):
        check_rows([], 2, item="image")


def test_a_data_frame_of_rows_is_held_to_the_same_limits():
    import pandas as pd
    frame = pd.DataFrame({"x": [1, 2]})
    assert check_rows(frame, max_rows=2) is frame
    with pytest.raises(ClientError, match="at most 1 are scored"):
        check_rows(frame, max_rows=1)
    with pytest.raises(ClientError, match="empty list"):
        check_rows(frame.iloc[:0], max_rows=2)
