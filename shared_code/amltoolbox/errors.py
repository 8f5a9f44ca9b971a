"""Errors a user can act on, reported as one clear line instead of a traceback."""
import contextlib
import sys

from .local.datasets import DatasetNotFoundError
from .local.models import ModelNotFoundError
from .local.runs import RunNotFoundError
from .model_config import ModelConfigError
from .naming import NamingError
from .paths import UnknownModelError
from .pipeline import PipelineDefinitionError



class UsageError(ValueError):
    """A command-line value that cannot be used as given."""


USER_ERRORS = (UsageError, DatasetNotFoundError, ModelNotFoundError, RunNotFoundError,
               ModelConfigError, NamingError, UnknownModelError, PipelineDefinitionError)
EXIT_USER_ERROR = 2


@contextlib.contextmanager
def exit_on_user_error(extra: tuple[type[BaseException], ...] = ()):
    """Turn the errors a user can fix into 'error: ...' and exit status 2."""
    try:
        yield
    except (*USER_ERRORS, *extra) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
