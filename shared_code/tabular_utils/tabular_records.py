"""Table rows sent as JSON objects, turned into a model's feature matrix, strictly.

A row must hold exactly the model's features, each a finite JSON number. The checks
run over all rows at once in C-level passes (a key check, one set of value types, one
numpy conversion), so validating 1,000 rows costs less than building a DataFrame from them.
"""
import itertools
import json
import math
import operator
from typing import Any, Sequence

import numpy as np

from shared_code.amltoolbox.layout import ModelLayout
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.serving.model_loading import ModelLoadError, ServedModel, logger
from shared_code.amltoolbox.serving.validation import ClientError, is_data_frame, json_type

FEATURES_KEY = "features"  # in model_info.json and in model_config.yml's training section

# Models such as XGBoost compute in 32-bit floats, where a larger value becomes infinite.
LARGEST_VALUE = float(np.finfo(np.float32).max)
_NUMBER_TYPES = {int, float}


def check_feature_order(model: Any, features: Sequence[str]) -> None:
    """Refuse a model whose own record of its training columns differs from `features`.

    Rows are scored as a matrix in the order of `features` (model_info.json); a model that
    remembers its columns (scikit-learn's feature_names_in_) must agree with that order.
    """
    known = getattr(model, "feature_names_in_", None)
    if known is not None and list(known) != list(features):
        raise ValueError(f"model_info.json lists the features {list(features)} but the model "
                         f"was trained on {list(known)}: retrain and register the model again")


def served_features(served: ServedModel) -> list[str]:
    """The columns a served tabular model takes, in order, checked against the model's own
    record of them: model_info.json's `features`; without them there, the model's own
    (scikit-learn's feature_names_in_), else the model folder's training.features
    (config/model_config.yml). A model_info.json whose list is empty is refused."""
    if FEATURES_KEY in served.info:
        features = list(served.info[FEATURES_KEY] or [])
        if not features:
            raise ModelLoadError(f"{served.folder}/model_info.json lists no features: train "
                                 "and register the model again")
    else:
        features, source = _features_elsewhere(served)
        logger.info("%s: model_info.json gives no features; taking %s's", served.id, source)
    check_feature_order(served.model, features)
    return features


def _features_elsewhere(served: ServedModel) -> tuple[list[str], str]:
    known = getattr(served.model, "feature_names_in_", None)
    if known is not None:
        return [str(name) for name in known], "the model"
    settings = served.settings
    if settings is not None and ModelLayout(settings.model_folder).model_config.is_file():
        configured = load_model_config(settings.model_folder).training.get(FEATURES_KEY)
        if configured:
            return list(configured), "config/model_config.yml"
    raise ModelLoadError(f"nothing says which columns {served.id} takes: not model_info.json "
                         "(features), the model (feature_names_in_) nor config/model_config.yml "
                         "(training.features). Train it on a named table, or list them there.")


def records_to_matrix(rows: list, features: Sequence[str]) -> np.ndarray:
    """A float matrix, one row per record, columns in the order of `features`.

    Raises ClientError naming the first bad row and column: a row that is not an object,
    a missing or unknown column, a value that is not a number (strings, null, true/false,
    lists and objects are refused, not converted), or one that is not finite or lies
    beyond ±LARGEST_VALUE.

    `rows` may also be a pandas DataFrame (a batch's chunk): held to the same rules, it
    gives the same matrix as its rows as objects (frame_records) would.
    """
    if is_data_frame(rows):
        matrix = _frame_matrix(rows, features)
        if matrix is not None:
            return matrix
        rows = frame_records(rows)  # something is wrong: the row checks say what
    take = operator.itemgetter(*features) if len(features) > 1 else _one_tuple(features[0])
    try:
        values = list(map(take, rows))
    except (TypeError, KeyError):
        raise ClientError(_first_row_problem(rows, features)) from None
    if sum(map(len, rows)) != len(rows) * len(features):
        raise ClientError(_first_row_problem(rows, features))
    if not set(map(type, itertools.chain.from_iterable(values))) <= _NUMBER_TYPES:
        raise ClientError(_first_value_problem(values, features))
    try:
        matrix = np.array(values, dtype=np.float64)
    except OverflowError:
        raise ClientError(_first_value_problem(values, features)) from None
    if not np.abs(matrix).max() <= LARGEST_VALUE:  # also false for NaN and infinity
        raise ClientError(_first_value_problem(values, features))
    return matrix


def frame_records(frame) -> list[dict]:
    """A DataFrame's rows as the objects of an online request, with Python values as
    DataFrame.to_dict("records") gives them, in half its time (a missing cell is NaN)."""
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*(frame[name].tolist() for name in names))]


def _frame_matrix(frame, features: Sequence[str]) -> np.ndarray | None:
    """The matrix of a DataFrame holding exactly `features`, each column of numbers (not
    true/false), every value finite and within ±LARGEST_VALUE; None for any other. Its
    numbers are those of its rows as objects: int64 and float64 values convert to float64
    alike either way."""
    columns = list(frame.columns)
    if len(columns) != len(features) or set(columns) != set(features):
        return None
    if any(frame[name].dtype.kind not in "iuf" for name in features):
        return None
    ordered = frame if columns == list(features) else frame[list(features)]
    matrix = ordered.to_numpy(dtype=np.float64)
    # max() and min() are NaN when a value is: the comparisons are then false.
    if matrix.size and not (matrix.max() <= LARGEST_VALUE and matrix.min() >= -LARGEST_VALUE):
        return None
    return matrix


def _one_tuple(feature: str):
    return lambda row: (row[feature],)


def _first_row_problem(rows: list, features: Sequence[str]) -> str:
    """The first bad row's problem (rows that failed the fast check hold one)."""
    return next(filter(None, (_row_problem(index, row, features)
                              for index, row in enumerate(rows))))


def _row_problem(index: int, row: Any, features: Sequence[str]) -> str | None:
    if not isinstance(row, dict):
        return (f"row {index} is {json_type(row)}; each row must be an object with the "
                f"columns {', '.join(features)}")
    problems = []
    missing = [name for name in features if name not in row]
    if missing:
        problems.append(f"is missing the column(s) {', '.join(missing)}")
    unknown = sorted(map(str, row.keys() - set(features)))
    if unknown:
        problems.append(f"has unknown column(s) {', '.join(unknown)}")
    if problems:
        return (f"row {index} {' and '.join(problems)}; each row holds exactly the "
                f"columns {', '.join(features)}")
    return None


def _first_value_problem(values: list, features: Sequence[str]) -> str:
    """The first bad value's problem (values that failed the fast check hold one)."""
    return next(f"row {index}, column '{name}': {problem}"
                for index, row in enumerate(values)
                for name, value in zip(features, row)
                if (problem := _value_problem(value)))


def _value_problem(value: Any) -> str | None:
    if value is None:
        return "expected a number, got null"
    if type(value) not in _NUMBER_TYPES:
        return f"expected a number, got {json_type(value)}: {_shown(value)}"
    try:
        number = float(value)
    except OverflowError:
        return f"{_shown(value)} is too large: values must lie within ±{LARGEST_VALUE:.3g}"
    if not math.isfinite(number):
        return f"{_shown(value)} is not a finite number"
    if abs(number) > LARGEST_VALUE:
        return f"{_shown(value)} is too large: values must lie within ±{LARGEST_VALUE:.3g}"
    return None


def _shown(value: Any, limit: int = 40) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."
