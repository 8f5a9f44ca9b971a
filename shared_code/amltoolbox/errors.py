"""One root for the errors a user can fix; anything else is a bug and keeps its traceback.
Every module raises its own subclass of `UserError`, saying what was wrong and what to do;
the command line and the steps catch `UserError` alone: one line, exit status 2."""
import contextlib
import sys

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Something the user can fix; `details` (a service's logs, say) follow the message under
    `details_heading`; `exit_status` is what a command exits with."""
    exit_status = EXIT_USER_ERROR
    details_heading = "details"

    def __init__(self, message: str, details: str | None = None):
        super().__init__(message)
        self.details = details


class DataError(UserError):
    """A dataset whose content cannot be used as it is: the message names the dataset, file,
    column or row."""


def report_user_error(error: UserError) -> None:
    """The error on stderr as one line, then its details."""
    print(f"error: {error}", file=sys.stderr)
    if error.details:
        heading = error.details_heading
        print(f"--- {heading} ---\n{error.details.rstrip()}\n--- end of {heading} ---",
              file=sys.stderr)


@contextlib.contextmanager
def exit_on_user_error():
    """Turn a UserError into its one-line report and exit status; Ctrl-C into status 130."""
    try:
        yield
    except UserError as error:
        report_user_error(error)
        sys.exit(error.exit_status)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
