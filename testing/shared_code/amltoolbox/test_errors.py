"""User errors end as one line and exit status 2; other errors are not hidden."""
import pytest

from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.errors import EXIT_USER_ERROR, UserError, exit_on_user_error
from shared_code.amltoolbox.local.models import ModelNotFoundError


@pytest.mark.parametrize("error", [UserError("tag 'x' is not KEY=VALUE"),
                                   ModelNotFoundError("no model 'x'")])
def test_a_user_error_is_one_line_and_exit_2(capsys, error):
    with pytest.raises(SystemExit) as exited:
        with exit_on_user_error():
            raise error
    assert exited.value.code == EXIT_USER_ERROR
    assert capsys.readouterr().err == f"error: {error}\n"


def test_an_error_with_details_prints_them_under_its_heading_with_its_exit_status(capsys):
    with pytest.raises(SystemExit) as exited:
        with exit_on_user_error():
            raise DeploymentError("the service failed", details="Booting worker\n")
    assert exited.value.code == 1
    assert capsys.readouterr().err == ("error: the service failed\n--- the service's logs ---\n"
                                       "Booting worker\n--- end of the service's logs ---\n")


def test_ctrl_c_exits_130():
    with pytest.raises(SystemExit) as exited:
        with exit_on_user_error():
            raise KeyboardInterrupt
    assert exited.value.code == 130


def test_a_bug_keeps_its_traceback():
    with pytest.raises(ZeroDivisionError):
        with exit_on_user_error():
            _ = 1 / 0
