"""Answers formatted a column at a time by pyarrow: the very text csv.writer writes."""
import csv
import io
import json

import numpy as np
import pytest

from shared_code.batch_scoring import csv_columns
from shared_code.batch_scoring.csv_columns import arrow_csv_lines

# Values on each side of every place where pyarrow's notation differs from repr()'s.
EDGES = [0.0, -0.0, 1.0, -3.0, 256.0, 1e-4, 9.999999999999999e-05, 1e-5, 7e-06, 1.5e-7,
         1e-9, 9.99999999999999e-10, 1e-10, 1e10, 9999999999.5, 2.5e12, 1e16, 1e22, 5e-324,
         1.7976931348623157e308, 0.1, 76.92942810058594, float("nan"), float("inf"),
         -float("inf")]


def _csv_writer(keys, columns) -> str:
    buffer = io.StringIO()
    cells = [[json.dumps(v) if isinstance(v, list) else v for v in values]
             for values in columns.values()]
    csv.writer(buffer, lineterminator="\n").writerows(zip(keys, *cells))
    return buffer.getvalue()


def _floats(rng, count: int) -> list[float]:
    """Floats over every magnitude, a few integral, with the edges among them."""
    values = (rng.random(count) * 9 + 1) * 10.0 ** rng.integers(-12, 18, count)
    values[rng.random(count) < 0.1] = np.round(values[:1])
    values = np.where(rng.random(count) < 0.5, -values, values).tolist()
    return values + EDGES


@pytest.mark.parametrize("seed", range(3))
def test_numbers_and_lists_of_numbers_are_what_the_csv_writer_writes(seed):
    rng = np.random.default_rng(seed)
    values = _floats(rng, 3000)
    count = len(values)
    lists = [_floats(rng, 0)[:int(n)] for n in rng.integers(0, 4, count)]
    columns = {"predictions": values, "probabilities": lists,
               "labels": rng.integers(-2 ** 62, 2 ** 62, count).tolist()}
    for keys in (range(70, 70 + count), [f"{i % 10}/{i:05d}.png" for i in range(count)]):
        assert arrow_csv_lines(keys, columns) == _csv_writer(keys, columns)


@pytest.mark.parametrize("keys, columns", [
    (["a.png", "b,c.png"], {"predictions": [3, 4]}),  # a key to quote
    ([0, 1], {"predictions": [True, False]}),
    ([0, 1], {"predictions": [1.0, None]}),
    ([0, 1], {"predictions": [1, 2.5]}),
    ([0, 1], {"predictions": [[True], [False]]}),
    ([0], {"predictions": [2 ** 70]}),
])
def test_other_values_are_left_to_the_csv_writer(keys, columns):
    assert arrow_csv_lines(keys, columns) is None


def test_without_pyarrow_the_csv_writer_writes_them(monkeypatch):
    monkeypatch.setattr(csv_columns, "pa", None)
    assert arrow_csv_lines(range(2), {"predictions": [1.5, 2.5]}) is None


def test_no_answers_are_no_lines():
    assert arrow_csv_lines([], {}) == ""
