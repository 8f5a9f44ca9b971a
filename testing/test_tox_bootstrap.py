"""virtualenvs/tox.py, the README's one command on a fresh machine: tox set up from the pin
on first use, tox environments installed with a moving line, then tox itself."""
import importlib.util
import os
import subprocess

import pytest

from shared_code.amltoolbox.paths import REPO_ROOT


@pytest.fixture(name="bootstrap")
def fixture_bootstrap(tmp_path, monkeypatch):
    """The bootstrap module, its venv, pin, lock and .tox folder moved under tmp_path."""
    spec = importlib.util.spec_from_file_location("tox_bootstrap",
                                                  REPO_ROOT / "virtualenvs" / "tox.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "requirements-tox.txt").write_text("tox==4.67.15\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("pytest==9.2.0\n", encoding="utf-8")
    monkeypatch.setattr(module, "TOOLS", tmp_path / ".venv_tools")
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv_tools" / "installed-pin.sha256")
    monkeypatch.setattr(module, "PIN", tmp_path / "requirements-tox.txt")
    monkeypatch.setattr(module, "LOCK", tmp_path / "requirements.txt")
    monkeypatch.setattr(module, "TOX_WORK_DIR", tmp_path / ".tox")
    return module


@pytest.fixture(name="execv")
def fixture_execv(bootstrap, mocker):
    """os.execv as the bootstrap hands over to tox, never replacing the test's process."""
    return mocker.patch.object(bootstrap.os, "execv")


def _installed_tools(bootstrap) -> None:
    tox = bootstrap.tools_bin("tox")
    tox.parent.mkdir(parents=True)
    tox.write_text("", encoding="utf-8")
    bootstrap.STAMP.write_text(bootstrap.pin_digest(), encoding="utf-8")


def _installed_env(bootstrap, name: str) -> None:
    record = bootstrap.TOX_WORK_DIR / name / bootstrap.ENV_RECORD
    record.parent.mkdir(parents=True)
    record.write_text("{}", encoding="utf-8")


# pipeline, serve, faults and benchmark run the tests env's python (tox.ini's [shared]): the
# tests env is the one to install, once, whichever of them runs first.
@pytest.mark.parametrize("argv, names", [
    ([], ["tests"]),                                   # tox.ini's env_list
    (["-e", "pipeline", "--", "model_a"], ["tests"]),
    (["-e", "tests", "--", "-e", "not_an_env"], ["tests"]),
    (["-epipeline,studio"], ["tests", "studio"]),
    (["-e", "serve,pipeline,tests"], ["tests"]),
    (["-e", "benchmark"], ["tests", "benchmark"]),            # DVC: its own deps
    (["--env=studio"], ["studio"]),
    (["run", "-e", "v2"], ["v2"]),
    (["list"], []),
    (["--version"], ["tests"]),
])
def test_the_environments_a_command_installs(bootstrap, argv, names):
    assert bootstrap.environments_named(argv) == names


def test_an_environment_is_missing_until_tox_made_it_and_again_when_the_lock_changes(
        bootstrap):
    assert bootstrap.environment_missing("tests")
    _installed_env(bootstrap, "tests")
    assert not bootstrap.environment_missing("tests")
    record = bootstrap.TOX_WORK_DIR / "tests" / bootstrap.ENV_RECORD
    os.utime(record, (0, 0))  # made long before the lock
    assert bootstrap.environment_missing("tests")


def test_the_first_use_installs_tox_then_its_environment_then_runs_tox(bootstrap, execv,
                                                                       mocker, capsys):
    def installs(command, **_):
        if command[1:4] == ["-m", "pip", "install"]:
            _installed_tools(bootstrap)  # what pip leaves in the venv
        return subprocess.CompletedProcess(command, 0, "", "")
    venv = mocker.patch.object(bootstrap.venv, "create")
    run = mocker.patch.object(bootstrap.subprocess, "run", side_effect=installs)
    bootstrap.main(["-e", "pipeline", "--", "model_a"])
    venv.assert_called_once_with(bootstrap.TOOLS, with_pip=True, clear=True)
    tox = str(bootstrap.tools_bin("tox"))
    pip, notest = (c.args[0] for c in run.call_args_list)
    assert pip[-2:] == ["-r", str(bootstrap.PIN)]
    assert notest == [tox, "--notest", "-e", "tests"]
    execv.assert_called_once_with(tox, [tox, "-e", "pipeline", "--", "model_a"])
    assert "first use: setting up tox" in capsys.readouterr().out


def test_later_uses_go_straight_to_tox(bootstrap, execv, mocker):
    _installed_tools(bootstrap)
    _installed_env(bootstrap, "tests")
    run = mocker.patch.object(bootstrap.subprocess, "run")
    bootstrap.main([])
    run.assert_not_called()
    tox = str(bootstrap.tools_bin("tox"))
    execv.assert_called_once_with(tox, [tox])


def test_a_changed_pin_installs_tox_again(bootstrap):
    _installed_tools(bootstrap)
    assert bootstrap.tools_ready()
    bootstrap.PIN.write_text("tox==4.68.0\n", encoding="utf-8")
    assert not bootstrap.tools_ready()


@pytest.mark.parametrize("failing", ["tools", "environment"])
def test_a_failed_install_shows_its_output_and_says_what_failed(bootstrap, execv, mocker,
                                                                 failing):
    if failing == "environment":
        _installed_tools(bootstrap)
    mocker.patch.object(bootstrap.venv, "create")
    mocker.patch.object(bootstrap.subprocess, "run", return_value=subprocess.CompletedProcess(
        [], 1, "Collecting tox\n", "ERROR: No matching distribution\n"))
    with pytest.raises(SystemExit) as failed:
        bootstrap.main([])
    assert "ERROR: No matching distribution" in str(failed.value.code)
    assert ("installing tox" if failing == "tools" else "tox could not set up tests") in \
        str(failed.value.code)
    execv.assert_not_called()
