"""This model's scoring requests for the tests: a real patient, and every bad request with the
4xx it must get and a piece of the message that says what was wrong. The good requests the
smoke test posts are the *.json files beside this module."""
import json

from shared_code.amltoolbox.serving.validation import DEFAULT_MAX_ROWS

ROW = {"age": 61.0, "sex": 1.0, "bmi": 25.8, "bp": 90.0, "s1": 280.0, "s2": 195.4, "s3": 55.0,
       "s4": 5.0, "s5": 4.9972, "s6": 90.0}
ROW_JSON = json.dumps(ROW)
JSON = "application/json"


def with_changes(**changes) -> dict:
    """A one-row request whose row has `changes`."""
    return {"data": [{**ROW, **changes}]}


def without(*columns) -> dict:
    """A one-row request whose row lacks `columns`."""
    return {"data": [{k: v for k, v in ROW.items() if k not in columns}]}


def raw(value: str) -> bytes:
    """A one-row body whose age is written as `value`, verbatim."""
    return ('{"data": [' + ROW_JSON.replace('"age": 61.0', f'"age": {value}') + "]}").encode()


# Each: how to send it (json body, raw bytes with a content type, or another method),
# the 4xx expected and a piece of the message saying what was wrong.
BAD_REQUESTS = {
    "not JSON": ("raw", (b"age=61&sex=1", JSON), 400, "could not be decoded as JSON"),
    "empty body": ("raw", (b"", JSON), 400, "body is empty"),
    "text content type": ("raw", (ROW_JSON.encode(), "text/plain"), 415, "application/json"),
    "form content type": ("raw", (b"data=1", "application/x-www-form-urlencoded"), 415,
                          "application/json"),
    "body is a list": ("json", [ROW], 400, "JSON dictionary"),
    "no data key": ("json", {"rows": [ROW]}, 400, "'data'"),
    "data is one row, not a list": ("json", {"data": ROW}, 400, "must be a JSON list"),
    "data is a string": ("json", {"data": "61,1,25.8"}, 400, "not a string"),
    "data is null": ("json", {"data": None}, 400, "not null"),
    "data is an empty list": ("json", {"data": []}, 400, "empty list"),
    "a row is a list of values": ("json", {"data": [list(ROW.values())]}, 400, "row 0 is a list"),
    "a row is a number": ("json", {"data": [61.0]}, 400, "row 0 is a number"),
    "a missing column": ("json", without("bmi"), 400, "missing the column(s) bmi;"),
    "several missing columns": ("json", without("s1", "s6"), 400, "missing the column(s) s1, s6"),
    "an extra column": ("json", with_changes(weight=80), 400, "unknown column(s) weight"),
    "a misspelt column": ("json", {"data": [{**without("bmi")["data"][0], "BMI": 25.8}]}, 400,
                          "missing the column(s) bmi and has unknown column(s) BMI"),
    "a string": ("json", with_changes(age="61"), 400,
                 "column 'age': expected a number, got a string"),
    "null": ("json", with_changes(bp=None), 400, "column 'bp': expected a number, got null"),
    "NaN": ("raw", (raw("NaN"), JSON), 400, "NaN is not a finite number"),
    "infinity": ("raw", (raw("Infinity"), JSON), 400, "Infinity is not a finite number"),
    "minus infinity": ("raw", (raw("-Infinity"), JSON), 400, "-Infinity is not a finite"),
    "overflowing float": ("raw", (raw("1e999"), JSON), 400, "Infinity is not a finite number"),
    "a bool": ("json", with_changes(sex=True), 400,
               "column 'sex': expected a number, got true/false"),
    "a nested object": ("json", with_changes(s5={"value": 4.9}), 400, "got an object"),
    "a nested list": ("json", with_changes(s5=[4.9]), 400, "got a list"),
    "a huge float": ("json", with_changes(s1=1e300), 400, "1e+300 is too large"),
    "a huge integer": ("json", with_changes(s1=10 ** 400), 400, "is too large"),
    "an integer of 5,000 digits": ("raw", (raw("9" * 5000), JSON), 400,
                                   "could not be decoded as JSON"),
    "not UTF-8": ("raw", (b'{"data": [{"age": "\xff"}]}', JSON), 400, "could not be decoded"),
    "nested 5,000 deep": ("raw", (raw("[" * 5000 + "]" * 5000), JSON), 400,
                          "could not be decoded as JSON"),
    "a bad second row": ("json", {"data": [ROW, {**ROW, "bmi": "x"}]}, 400, "row 1, column 'bmi'"),
    "too many rows": ("json", {"data": [ROW] * (DEFAULT_MAX_ROWS + 1)}, 413, "at most 10,000"),
    "a 10 MB body": ("json", {"data": [ROW] * 75_000}, 413, "75,000 rows"),
    "a PUT": ("method", "PUT", 405, "not allowed"),
    "a GET without data": ("method", "GET", 400, "'data'"),
}
