"""Checks every scoring request needs, whatever a row holds (a table row, an image, ...)."""
import sys
from typing import Any

BAD_REQUEST = 400
PAYLOAD_TOO_LARGE = 413
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_ROW_BYTES = 2048
BODY_OVERHEAD_BYTES = 64 * 1024  # {"data": ...} and whitespace around the rows


class ClientError(ValueError):
    """A request that cannot be scored because of what the client sent: answered with a 4xx."""

    def __init__(self, message: str, status: int = BAD_REQUEST):
        super().__init__(message)
        self.message = message
        self.status = status


def check_rows(data: Any, max_rows: int, item: str = "row",
               too_many_status: int = PAYLOAD_TOO_LARGE) -> list:
    """`data` as a list of 1 to `max_rows` items (rows, images, ...), or a ClientError
    saying what is wrong; too many answer `too_many_status`. A batch may hand a run() that
    takes them a pandas DataFrame of rows instead (scoring_run's takes_data_frames)."""
    if not isinstance(data, list) and not is_data_frame(data):
        raise ClientError(f"'data' must be a JSON list of {item}s, not {json_type(data)}: "
                          f'send {{"data": [{item}, ...]}}')
    if len(data) == 0:  # (a DataFrame has no truth value)
        raise ClientError(f"'data' is an empty list: send at least one {item}")
    if len(data) > max_rows:
        raise ClientError(f"'data' has {len(data):,} {item}s; at most {max_rows:,} are scored "
                          "per request: split it into smaller requests", too_many_status)
    return data


def is_data_frame(value: Any) -> bool:
    """Whether `value` is a pandas DataFrame (pandas is not imported for it: a process that
    has not imported pandas holds none)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def max_rows_setting(serving: dict) -> int:
    """The row limit from model_config.yml's `serving.max_rows` (10,000 when unset)."""
    return _whole_number(serving, "max_rows", DEFAULT_MAX_ROWS, "rows")


def max_body_bytes_setting(serving: dict) -> int:
    """The request body limit in bytes: the row limit times model_config.yml's
    `serving.max_row_bytes` (2,048 when unset), plus 64 KiB."""
    row_bytes = _whole_number(serving, "max_row_bytes", DEFAULT_MAX_ROW_BYTES, "bytes")
    return max_rows_setting(serving) * row_bytes + BODY_OVERHEAD_BYTES


def _whole_number(serving: dict, key: str, default: int, unit: str) -> int:
    value = serving.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"serving.{key} in config/model_config.yml is {value!r}; "
                         f"set it to a whole number of {unit}, at least 1")
    return value


_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
               type(None): "null", int: "a number", float: "a number"}


def json_type(value: Any) -> str:
    """What a parsed JSON value is, in the words of a JSON user ('a string', 'null', ...)."""
    return _JSON_TYPES.get(type(value), type(value).__name__)
