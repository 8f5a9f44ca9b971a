"""run MODEL --emulate-azureml: the pipeline under the Azure ML emulator, or one line saying
which environment has the SDK it needs."""
import importlib.util

import pytest
from testing_helpers import run_cli



def test_without_the_sdk_it_says_in_one_line_which_environment_to_use(capsys, mocker):
    real_find_spec = importlib.util.find_spec
    mocker.patch("importlib.util.find_spec",
                 side_effect=lambda name, *args: None if name.startswith("azureml")
                 else real_find_spec(name, *args))
    emulate = mocker.patch("shared_code.aml_emulator.command.run_emulated")
    code, out, err = run_cli(capsys, "run", "model_a", "--emulate-azureml")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "azureml-core" in err and "tox -e pipeline -- model_a --emulate-azureml" in err
    emulate.assert_not_called()


@pytest.mark.parametrize("status", [0, 1])
def test_the_flag_runs_the_pipeline_under_the_emulator_not_locally(capsys, mocker, status):
    emulate = mocker.patch("shared_code.aml_emulator.command.run_emulated",
                           return_value=status)
    local = mocker.patch("shared_code.amltoolbox.cli.local_target.run_locally")
    code, _, _ = run_cli(capsys, "run", "model_a", "--emulate-azureml")
    assert code == status
    config, steps, experiment_name = emulate.call_args.args
    assert config.folder.name == "model_a" and experiment_name == "model_a"
    assert steps[0].name == "train"
    local.assert_not_called()


@pytest.mark.parametrize("argv, passed", [([], ["--local"]),
                                          (["--explain"], ["--local", "--explain"]),
                                          (["--no-reuse", "--explain"],
                                           ["--local", "--no-reuse", "--explain"])])
def test_run_passes_no_reuse_and_explain_to_the_pipeline(capsys, mocker, argv, passed):
    run_pipeline = mocker.patch("model_a.aml_pipeline.run_pipeline")
    code, _, _ = run_cli(capsys, "run", "model_a", *argv)
    assert code == 0
    run_pipeline.assert_called_once_with(passed)
