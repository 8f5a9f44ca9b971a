"""smoke-test MODEL --url URL: a one-line verdict and exit status 0 or 1."""
import pytest

from shared_code.amltoolbox.cli import smoke_test_cmd
from shared_code.amltoolbox.cli.main import main


@pytest.mark.parametrize("ok, status", [(True, 0), (False, 1)])
def test_the_verdict_is_printed_and_sets_the_exit_status(mocker, capsys, monkeypatch, ok,
                                                         status):
    monkeypatch.delenv(smoke_test_cmd.API_KEY_ENV_VAR, raising=False)
    check = mocker.patch.object(smoke_test_cmd, "smoke_test", return_value=(ok, "verdict"))
    with pytest.raises(SystemExit) as caught:
        main(["smoke-test", "model_a", "--url", "http://127.0.0.1:5001"])
    assert caught.value.code == status
    assert capsys.readouterr().out == "verdict\n"
    check.assert_called_once_with("model_a", "http://127.0.0.1:5001", api_key=None)


@pytest.mark.parametrize("argv, env, key", [
    (["--api-key", "k1"], {}, "k1"),
    ([], {"SCORING_API_KEY": "k2"}, "k2"),
])
def test_the_key_of_a_service_with_auth_comes_from_the_option_or_the_environment(
        mocker, monkeypatch, argv, env, key):
    monkeypatch.delenv(smoke_test_cmd.API_KEY_ENV_VAR, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    check = mocker.patch.object(smoke_test_cmd, "smoke_test", return_value=(True, "verdict"))
    with pytest.raises(SystemExit):
        main(["smoke-test", "model_a", "--url", "https://svc.example/score", *argv])
    assert check.call_args.kwargs == {"api_key": key}


def test_the_url_is_required(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["smoke-test", "model_a"])
    assert caught.value.code == 2
    assert "--url" in capsys.readouterr().err
