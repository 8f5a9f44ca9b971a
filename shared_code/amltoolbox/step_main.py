"""What every script step's `if __name__ == "__main__"` does: run, and fail clearly."""
import sys
import traceback
from typing import Callable

from .csv_reading import DatasetReadError
from .errors import EXIT_USER_ERROR
from .model_config import ModelConfigError
from .model_io import ModelFileError
from .run_context import get_run_context
from .promotion.summary import SummaryError

EXIT_CRASH = 1


class StepError(ValueError):
    """Bad input a user must fix; its message names the dataset, file or column and what to do."""


# Errors whose message already says what is wrong and what to do: no traceback needed.
KNOWN_ERRORS = (StepError, DatasetReadError, ModelConfigError, ModelFileError, SummaryError)


def run_step(main: Callable[[], None]) -> None:
    """Call a step's main(); on failure record the error on the run and exit non-zero."""
    try:
        main()
    except KNOWN_ERRORS as error:
        _fail(str(error), EXIT_USER_ERROR)
    except Exception as error:  # pylint: disable=broad-exception-caught
        traceback.print_exc()
        _fail(f"{type(error).__name__}: {error}", EXIT_CRASH)


def _fail(message: str, exit_code: int) -> None:
    print(f"ERROR: {message}", file=sys.stderr, flush=True)
    try:
        get_run_context().fail(error_details=message)
    except Exception:  # pylint: disable=broad-exception-caught
        pass  # recording the failure must never hide the failure itself
    sys.exit(exit_code)
