"""User errors end as one line and exit status 2; other errors are not hidden."""
import pytest

from shared_code.amltoolbox.errors import EXIT_USER_ERROR, UsageError, exit_on_user_error
from shared_code.amltoolbox.local.models import ModelNotFoundError


@pytest.mark.parametrize("error", [UsageError("tag 'x' is not KEY=VALUE"),
                                   ModelNotFoundError("no model 'x'")])
def test_a_user_error_is_one_line_and_exit_2(capsys, error):
    with pytest.raises(SystemExit) as exited:
        with exit_on_user_error():
            raise error
    assert exited.value.code == EXIT_USER_ERROR
    assert capsys.readouterr().err == f"error: {error}\n"


def test_extra_error_types_can_be_made_user_errors(capsys):
    with pytest.raises(SystemExit):
        with exit_on_user_error(extra=(KeyError,)):
            raise KeyError("k")
    assert capsys.readouterr().err.startswith("error: ")


def test_ctrl_c_exits_130():
    with pytest.raises(SystemExit) as exited:
        with exit_on_user_error():
            raise KeyboardInterrupt
    assert exited.value.code == 130


def test_a_bug_keeps_its_traceback():
    with pytest.raises(ZeroDivisionError):
        with exit_on_user_error():
            _ = 1 / 0
