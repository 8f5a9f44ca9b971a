"""A built Pipeline read back as the jobs Azure ML runs: what the SDK put in its graph."""
from pathlib import Path

import pytest

from shared_code.aml_emulator.pipeline_steps import (DatasetSource, ProducedSource,
                                                     environment_variables,
                                                     job_steps)
from shared_code.aml_sdk_v1.pipeline_builder import (OUTPUT_DESTINATION, allow_reuse,
                                                           build_pipeline)
from shared_code.code_snapshot.model_snapshot import snapshots_of
from shared_code.amltoolbox.pipeline import DatasetInput

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(name="jobs")
def fixture_jobs(model_a, workspace):
    """model_a's pipeline, built in the offline workspace, as jobs by step name."""
    config, steps = model_a
    return {job.name: job for job in job_steps(build_pipeline(workspace, config, steps))}


def test_each_step_is_a_job_running_its_script_from_the_models_snapshot(model_a, jobs):
    config, steps = model_a
    assert list(jobs) == [step.name for step in steps]
    for step in steps:
        assert jobs[step.name].script == f"{config.folder.name}/script_steps/{step.script_name}"
        snapshot = Path(jobs[step.name].source_directory)
        assert snapshot.parent == snapshots_of(config.layout)
        assert (snapshot / jobs[step.name].script).is_file()
        assert jobs[step.name].arguments == tuple(step.arguments)
        assert jobs[step.name].allow_reuse == allow_reuse(step)
        assert jobs[step.name].environment_variables["PYTHONPATH"] == "."


def test_inputs_come_from_registered_datasets_or_earlier_outputs_by_name(model_a, jobs):
    _, steps = model_a
    for step in steps:
        inputs = {i.name: i for i in jobs[step.name].inputs}
        assert list(inputs) == list(step.inputs)
        for name, source in step.inputs.items():
            if isinstance(source, DatasetInput):
                assert isinstance(inputs[name].source, DatasetSource)
                assert inputs[name].source.dataset.name == source.name
                assert inputs[name].mode == "direct"  # model_a's are Tabular
            else:
                assert inputs[name].source == ProducedSource(source.step, source.output)
                assert inputs[name].mode == "download"


def test_outputs_are_mounted_at_their_datastore_path(model_a, jobs):
    _, steps = model_a
    for step in steps:
        assert [(o.name, o.mode, o.destination) for o in jobs[step.name].outputs] == [
            (name, "mount", OUTPUT_DESTINATION) for name in step.outputs]


def test_the_environments_variables_come_first_and_the_run_configurations_win():
    runconfig = ('{"environment": {"environmentVariables": {"A": "env", "B": "env"}}, '
                 '"environmentVariables": {"B": "runconfig", "PYTHONPATH": "."}}')
    assert environment_variables(runconfig) == {"A": "env", "B": "runconfig", "PYTHONPATH": "."}
