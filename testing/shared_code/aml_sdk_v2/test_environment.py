"""The SDK v2 environment for a --sdk v2 command started in the v1 one: found, or made once."""
import pytest

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.aml_sdk_v2 import environment
from shared_code.amltoolbox.cli import main as toolbox_cli
from shared_code.amltoolbox.cli import pipeline_cli


@pytest.fixture(name="places", autouse=True)
def fixture_places(tmp_path, mocker):
    """The tox env and the named env, in tmp_path, for every test here; a lock file."""
    lock = tmp_path / "requirements-v2.txt"
    lock.write_text("azure-ai-ml==1.35.2\n", encoding="utf-8")
    mocker.patch.multiple(environment, TOX_ENV=tmp_path / "tox_v2",
                          NAMED_ENV=tmp_path / "venv_v2", V2_LOCK=lock)
    return tmp_path


def _make_python(env):
    python = env / environment.BIN / "python"
    python.parent.mkdir(parents=True)
    python.write_text("", encoding="utf-8")
    return python


def test_toxs_v2_environment_is_used_when_tox_made_it(places, mocker):
    python = _make_python(places / "tox_v2")
    create = mocker.patch("venv.create")
    assert environment.v2_python() == python
    create.assert_not_called()


def test_the_named_environment_is_made_once_then_reused(mocker):
    def make(env, **_):
        _make_python(env)
    create = mocker.patch("venv.create", side_effect=make)
    pip = mocker.patch.object(environment.subprocess, "run",
                              return_value=mocker.Mock(returncode=0))
    lines = []
    first = environment.v2_python(lines.append)
    assert first == environment.NAMED_ENV / environment.BIN / "python"
    assert "making" in lines[0] and pip.call_args.args[0][-2:] == ["-r", str(environment.V2_LOCK)]
    assert environment.v2_python(lines.append) == first
    assert create.call_count == 1 and len(lines) == 1


def test_a_changed_lock_installs_again(mocker):
    mocker.patch("venv.create",
                        side_effect=lambda env, **_: _make_python(env))
    mocker.patch.object(environment.subprocess, "run", return_value=mocker.Mock(returncode=0))
    environment.v2_python(lambda line: None)
    environment.V2_LOCK.write_text("azure-ai-ml==9.9.9\n", encoding="utf-8")
    lines = []
    mocker.patch("venv.create")
    environment.v2_python(lines.append)
    assert lines and "making" in lines[0]


def test_a_failed_install_says_so_and_is_not_taken_for_a_ready_environment(mocker):
    mocker.patch("venv.create",
                        side_effect=lambda env, **_: _make_python(env))
    mocker.patch.object(environment.subprocess, "run", return_value=mocker.Mock(returncode=1))
    with pytest.raises(AzureSetupError, match="failed .*run the command again"):
        environment.v2_python(lambda line: None)
    assert not (environment.NAMED_ENV / environment.INSTALLED_MARK).exists()


def test_a_pipeline_command_without_azure_ai_ml_runs_again_in_the_v2_environment(
        model_pipeline, mocker):
    config, steps = model_pipeline
    rerun = mocker.patch("shared_code.aml_sdk_v2.pipeline_commands."
                         "run_in_v2_environment", return_value=0)
    mocker.patch("shared_code.aml_sdk_v2.pipeline_commands.has_sdk_v2",
                 return_value=False)
    with pytest.raises(SystemExit) as stop:
        pipeline_cli.main(config, steps, "exp", ["--sdk", "v2", "--dump", "job.yml"])
    assert stop.value.code == 0
    rerun.assert_called_once_with(f"{config.folder.name}.aml_pipeline",
                                  ["--sdk", "v2", "--dump", "job.yml"])


def test_a_toolbox_command_for_v2_without_azure_ai_ml_runs_again_in_the_v2_environment(mocker):
    mocker.patch.object(environment, "has_sdk_v2", return_value=False)
    rerun = mocker.patch.object(environment, "run_in_v2_environment", return_value=3)
    argv = ["release-artifact", "model_a", "--sdk", "v2", "--output", "out"]
    with pytest.raises(SystemExit) as stop:
        toolbox_cli.main(argv)
    assert stop.value.code == 3
    rerun.assert_called_once_with("shared_code.amltoolbox", argv)
