"""The step list as Azure ML steps: the rules, and the clear errors for what is missing."""
import dataclasses

import pytest
from azureml_offline import (dataset_lookup, mock_workflow_provider, model_dataset_types,
                             offline_workspace)

from shared_code.aml_sdk_v1 import pipeline_builder
from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.pipeline import PipelineDefinitionError, Step, output_of, registered

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.mark.parametrize("reuse, compares_with_champion, expected", [
    (True, False, True),
    (False, False, False),
    (True, True, False),  # AML cannot see that the champion changed
])
def test_allow_reuse(reuse, compares_with_champion, expected):
    step = Step("s", "s.py", reuse=reuse, compares_with_champion=compares_with_champion)
    assert pipeline_builder.allow_reuse(step) is expected


def test_script_name_is_relative_to_the_repository_root(model_a):
    config, steps = model_a
    train = steps[0]  # its script, whatever the declaration names it (train.py, ...)
    assert pipeline_builder.script_name(config, train) == \
        f"model_a/script_steps/{train.script_name}"


def test_a_step_runs_on_its_own_compute_target_and_environment(model_a, mocker):
    config, steps = model_a
    workspace = offline_workspace(compute_targets=(config.compute_target, "gpu-cluster"))
    mocker.patch("azureml.core.Dataset.get_by_name",
                 side_effect=dataset_lookup(workspace, model_dataset_types(config)))
    mock_workflow_provider(mocker)
    train = dataclasses.replace(steps[0], compute_target="gpu-cluster",
                                environment="config/conda_environment.yml")
    declared = pipeline_builder.python_script_steps(workspace, config, [train, *steps[1:]])
    assert [step._compute_target.name for step in declared] == [  # pylint: disable=protected-access
        "gpu-cluster", config.compute_target, config.compute_target]
    environments = [step._runconfig.environment.name for step in declared]  # pylint: disable=protected-access
    assert environments == ["model_a-conda_environment-environment", "model_a-environment",
                            "model_a-environment"]
    assert not pipeline_builder.build_pipeline(workspace, config, [train, *steps[1:]]).validate()


def test_a_steps_missing_compute_target_names_the_step_list(model_a, workspace):
    config, steps = model_a
    train = dataclasses.replace(steps[0], compute_target="gpu-cluster")
    with pytest.raises(AzureSetupError, match=r"'gpu-cluster' \(the step's compute_target in "
                                              r"aml_pipeline\.py\) does not exist"):
        pipeline_builder.python_script_steps(workspace, config, [train, *steps[1:]])


def test_run_configuration_uses_the_models_conda_file(model_a):
    config, _ = model_a
    run_config = pipeline_builder.run_configuration(config)
    packages = " ".join(run_config.environment.python.conda_dependencies.pip_packages)
    assert "azureml-core" in packages
    assert run_config.environment_variables == {"PYTHONPATH": "."}


def test_a_missing_conda_file_is_named(model_a, tmp_path):
    config = dataclasses.replace(model_a[0], folder=tmp_path / "model_x")
    with pytest.raises(AzureSetupError,
                       match=r"model_x/config/conda_environment\.yml does not exist"):
        pipeline_builder.run_configuration(config)


def test_a_missing_compute_target_names_the_setting_and_the_existing_ones(model_a, workspace):
    config = dataclasses.replace(model_a[0], compute_target="gpu-cluster")
    with pytest.raises(AzureSetupError) as error:
        pipeline_builder.compute_target(workspace, config)
    assert "'gpu-cluster' (azureml.compute_target in" in str(error.value)
    assert "it has: cpu-cluster" in str(error.value)


def test_an_unregistered_dataset_says_how_to_register_it(model_a, workspace):
    config, steps = model_a
    steps = [dataclasses.replace(steps[0], inputs={"train_data": registered(
        "regression-diabetes-training-02", 3)})]
    with pytest.raises(AzureSetupError) as error:
        pipeline_builder.python_script_steps(workspace, config, steps)
    assert "dataset regression-diabetes-training-02:3 is not registered" in str(error.value)
    assert "datasets register regression-diabetes-training-02 --target azureml" in str(error.value)


def test_a_pinned_dataset_version_is_asked_for(model_a, workspace, mocker):
    config, steps = model_a
    name = config.dataset("training").name
    steps = [dataclasses.replace(steps[0], inputs={"train_data": registered(name, 2)})]
    lookup = mocker.patch("azureml.core.Dataset.get_by_name",
                          side_effect=dataset_lookup(workspace, model_dataset_types(config)))
    pipeline_builder.python_script_steps(workspace, config, steps)
    lookup.assert_called_once_with(workspace, name, version=2)


def test_an_invalid_step_list_fails_before_the_workspace_is_asked(model_a, workspace):
    config, steps = model_a
    broken = [*steps, Step("publish", "register.py", inputs={"x": output_of("deploy", "y")})]
    with pytest.raises(PipelineDefinitionError, match="'deploy', which is not an earlier step"):
        pipeline_builder.python_script_steps(workspace, config, broken)
    workspace.get_default_datastore.assert_not_called()


def test_the_pipeline_description_names_the_model_and_its_steps(model_a):
    config, steps = model_a
    assert pipeline_builder.pipeline_description(config, steps) == \
        "model_a: train -> evaluate -> register"
