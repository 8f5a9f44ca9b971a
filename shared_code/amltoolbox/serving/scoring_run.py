"""An entry script's run() in one decorator: its /swagger.json schema, the row limit of the
model folder's serving settings, and a 4xx with a message for anything wrong with the input."""
import inspect
from pathlib import Path
from typing import Any, Callable

from .request_log import log_request
from .responses import error_response
from .schema import record_schema
from .settings import serving_settings
from .validation import PAYLOAD_TOO_LARGE, ClientError, check_rows

INPUT_NAME = "data"  # the body is {"data": [item, ...]}
_RUN_SIGNATURE = inspect.Signature(
    [inspect.Parameter(INPUT_NAME, inspect.Parameter.POSITIONAL_OR_KEYWORD)])


class ScoringRun:  # pylint: disable=too-few-public-methods  # a function with its settings
    """run() as the server calls it: `data` checked to be a list of 1 to max_rows items, the
    entry script's function called with them, and a ClientError answered with its 4xx."""

    def __init__(self, score: Callable[[list], Any], max_rows: int, item: str,
                 too_many_status: int, takes_data_frames: bool = False):
        self.score, self.max_rows, self.item = score, max_rows, item
        self.too_many_status = too_many_status
        self.takes_data_frames = takes_data_frames
        # inference-schema files the schema under the innermost callable's module and name and
        # reads its arguments (schema_util.py:91-123, schema_decorators.py:201-203); the server
        # looks the schema up the same way and passes the body's "data" by name
        # (server/user_script.py:143-179): so this takes the script's names and takes `data`.
        self.__module__, self.__name__ = score.__module__, score.__name__
        self.__qualname__, self.__doc__ = score.__qualname__, score.__doc__
        self.__signature__ = _RUN_SIGNATURE

    def __call__(self, data: Any) -> Any:
        try:
            answer = self.score(check_rows(data, self.max_rows, self.item, self.too_many_status))
        except ClientError as error:
            return error_response(error.status, error.message)
        log_request(data)  # kept when serve --log-requests asked for it (request_log.py)
        return answer


def scoring_run(example_item: Any, example_answer: Any, *, item: str = "row",
                too_many_status: int = PAYLOAD_TOO_LARGE, takes_data_frames: bool = False
                ) -> Callable[[Callable], ScoringRun]:
    """The decorator of an entry script's run(items), which scores a list of items and raises
    ClientError for a bad one: the server calls it with the body's "data", 1 to
    serving.max_rows items (too many answer `too_many_status`), else a 4xx says what was
    wrong; /swagger.json documents {"data": [example_item]} and `example_answer`.
    `takes_data_frames`: a batch may hand it each chunk as a DataFrame (records_to_matrix
    takes both), as ParallelRunStep hands a Tabular mini-batch.
    """
    def decorate(score: Callable[[list], Any]) -> ScoringRun:
        settings = serving_settings(Path(inspect.getfile(score)).resolve().parents[1])
        run = ScoringRun(score, settings.max_rows, item, too_many_status, takes_data_frames)
        record_schema(INPUT_NAME, [example_item], example_answer)(run)
        return run
    return decorate
