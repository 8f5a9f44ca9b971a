"""What every script step's `if __name__ == "__main__"` does: hand main() its context, run
it, and fail clearly."""
import sys
from collections.abc import Callable

from .errors import EXIT_USER_ERROR, UserError
from .run_context import current_runtime, get_run_context
from .step_context import StepContext, model_folder_of, takes_context

EXIT_CRASH = 1


def run_step(main: Callable[..., None]) -> None:
    """Call a step's main(context) (or main()) with the runtime resolved once, here; on
    failure record the error on the run and exit non-zero (a UserError as its message alone,
    anything else with its traceback)."""
    try:
        if takes_context(main):
            main(StepContext(current_runtime(), model_folder_of(main)))
        else:
            main()
    except UserError as error:
        _fail(str(error), EXIT_USER_ERROR)
    except Exception as error:  # pylint: disable=broad-exception-caught
        import traceback  # pylint: disable=import-outside-toplevel  # a step that works needs none
        traceback.print_exc()
        _fail(f"{type(error).__name__}: {error}", EXIT_CRASH)


def _fail(message: str, exit_code: int) -> None:
    print(f"ERROR: {message}", file=sys.stderr, flush=True)
    try:
        get_run_context().fail(error_details=message)
    except Exception:  # pylint: disable=broad-exception-caught
        pass  # recording the failure must never hide the failure itself
    sys.exit(exit_code)
