"""Each model's step list compiled to a v2 pipeline job and checked by azure-ai-ml's own
validation, with no workspace and no network."""
import dataclasses
import json
import re

import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azureml_offline import refuse_connections

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.aml_sdk_v2.job_environment import V2_RUNTIME_PACKAGES
from shared_code.aml_sdk_v2.pipeline_job import (OUTPUT_PATH, build_pipeline_job,
                                                 check_pipeline_job, script_path,
                                                 validation_problems)
from shared_code.aml_sdk_v2.step_io import STEP_ENV_VAR, StepIO
from shared_code.amltoolbox.pipeline import FILE, DatasetInput, Step, registered


def _job(config, steps, **kwargs):
    return build_pipeline_job(config, steps, "an-experiment", "a-cluster", **kwargs)


def test_every_models_job_passes_azure_ai_mls_validation_offline(model_pipeline, monkeypatch):
    attempts = refuse_connections(monkeypatch)
    job = _job(*model_pipeline)
    assert validation_problems(job) == []
    assert not attempts


def test_one_command_job_per_step_running_the_steps_script(model_pipeline):
    config, steps = model_pipeline
    job = _job(config, steps)
    assert list(job.jobs) == [step.name for step in steps]
    for step in steps:
        node = job.jobs[step.name]
        assert node.command.startswith(f"python {script_path(config, step)} ")
        assert node.compute == "azureml:a-cluster"
        assert StepIO.from_json(node.environment_variables[STEP_ENV_VAR]).step == step.name
    assert job.experiment_name == "an-experiment"


def test_reuse_is_never_allowed_for_register_or_a_step_comparing_with_the_champion(model_pipeline):
    config, steps = model_pipeline
    job = _job(config, steps)
    expected = {s.name: s.reuse and not s.compares_with_champion for s in steps}
    assert {name: node.component.is_deterministic for name, node in job.jobs.items()} == expected
    assert expected["register"] is False and expected["evaluate"] is False


def test_registered_datasets_are_mltable_or_uri_folder_assets_by_their_type(model_pipeline):
    config, steps = model_pipeline
    job = _job(config, steps)
    types = {spec.name: spec.type for spec in config.datasets.values()}
    for step in steps:
        for name, source in step.inputs.items():
            if isinstance(source, DatasetInput):
                given = job.jobs[step.name].inputs[name]._data  # pylint: disable=protected-access
                assert given.type == ("uri_folder" if types[source.name] == FILE else "mltable")
                assert given.path == f"azureml:{source.name}@latest"


def test_outputs_go_under_model_in_training_and_feed_later_steps(model_pipeline):
    config, steps = model_pipeline
    job = _job(config, steps)
    dumped = job._to_dict()["jobs"]  # pylint: disable=protected-access
    assert "model-in-training/${{name}}/${{output_name}}/" in OUTPUT_PATH
    for step in steps:
        for name in step.outputs:
            assert dumped[step.name]["outputs"][name]["path"] == OUTPUT_PATH
        for name, source in step.inputs.items():
            if not isinstance(source, DatasetInput):
                assert dumped[step.name]["inputs"][name]["path"] == \
                    f"${{{{parent.jobs.{source.step}.outputs.{source.output}}}}}"


def test_submission_pins_dataset_versions_for_lineage(model_pipeline):
    config, steps = model_pipeline
    training = config.dataset("training").name
    job = _job(config, steps, dataset_versions={training: "7"})
    given = job.jobs["train"].inputs["train_data"]._data  # pylint: disable=protected-access
    assert given.path == f"azureml:{training}:7"
    told = json.loads(job.jobs["train"].environment_variables[STEP_ENV_VAR])
    assert told["inputs"]["train_data"]["version"] == "7"


def test_no_reuse_reruns_every_step(model_pipeline):
    assert _job(*model_pipeline).settings.force_rerun is False
    assert _job(*model_pipeline, reuse=False).settings.force_rerun is True


def test_the_environment_is_the_conda_file_plus_the_v2_runtime(model_pipeline):
    config, steps = model_pipeline
    environment = _job(config, steps).jobs["train"].environment
    pip = next(item["pip"] for item in environment.conda_file["dependencies"]
               if isinstance(item, dict))
    names = [re.split("==", entry)[0] for entry in pip]
    assert set(V2_RUNTIME_PACKAGES) <= set(names)
    assert "scikit-learn" in names  # the model's own pins stay
    assert environment.conda_file["name"] == config.folder.name


def test_a_dataset_the_config_does_not_declare_is_refused(model_pipeline):
    config, steps = model_pipeline
    extra = Step("score", steps[0].script_name,
                 inputs={"other": registered("regression-other-x-01")})
    with pytest.raises(AzureSetupError, match="regression-other-x-01 is not declared"):
        _job(config, [*steps, extra])


def test_azure_ai_mls_refusal_is_reported_with_the_path(model_pipeline):
    job = _job(*model_pipeline)
    job.jobs["train"].compute = None  # no compute anywhere: azure-ai-ml refuses the job
    job.jobs["train"].command = None
    with pytest.raises(AzureSetupError, match="jobs.train"):
        check_pipeline_job(job)


def test_a_step_arguments_come_before_the_paths(model_pipeline):
    config, steps = model_pipeline
    with_args = [dataclasses.replace(steps[0], arguments=("--n", "3 trees")), *steps[1:]]
    command = _job(config, with_args).jobs["train"].command
    assert "--n '3 trees' --train_data ${{inputs.train_data}}" in command
