"""Each model's drift pipeline (SDK v1): a real PythonScriptStep built offline against a mocked
workspace and registry, validated, read back as the job Azure ML would run; published with a
schedule (the SDK's Schedule and ScheduleRecurrence, never sent); its command line."""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
# Every test fails if anything tried to open a connection (an autouse fixture).
from azureml_fixtures import no_network  # pylint: disable=unused-import
from azureml_offline import offline_model_workspace, refuse_connections

from tested_models import model_folders_under_test
from shared_code.aml_emulator.pipeline_steps import DatasetSource, job_steps
from shared_code.amltoolbox.cli.pipeline_cli import main as pipeline_main
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import DatasetInput
from shared_code.code_snapshot.model_snapshot import snapshots_of
from shared_code.model_monitoring import drift_pipeline, drift_target
from shared_code.model_monitoring.drift_pipeline import (SCRIPT, STEP_NAME, DriftPipelineError,
                                                         build_drift_pipeline, new_dataset,
                                                         publish_drift, schedule_recurrence)

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
MODELS = [folder.name for folder in model_folders_under_test()]


class WebserviceException(Exception):
    """Stands in for the registry's 'model not found'."""


@pytest.fixture(name="config", scope="module", params=MODELS)
def fixture_config(request):
    return load_model_config(model_folder(request.param))


def registered_model(config, version=3, training_version=2, properties=None):
    """A registered version as azureml.core.Model(workspace, name=...) returns it."""
    training = {"train_data": f"{config.dataset('training').name}:{training_version}"}
    return SimpleNamespace(name=config.model_name, version=version, properties=(
        {"training_data": json.dumps(training)} if properties is None else properties))


@pytest.fixture(name="local_workspace", scope="module")
def fixture_local_workspace(tmp_path_factory) -> Path:
    """Where this module's builds stage snapshots, not the repository's local workspace: one
    folder, so each model's snapshot is staged once and reused by every build of it."""
    return tmp_path_factory.mktemp("local-workspace")


@pytest.fixture(name="workspace")
def fixture_workspace(config, mocker, monkeypatch, local_workspace):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(local_workspace))
    return offline_model_workspace(config, mocker)


@pytest.fixture(name="built", scope="module")
def fixture_built(config, module_mocker, local_workspace) -> SimpleNamespace:
    """The model's drift pipeline for the registry's version 3 (trained on training dataset
    v2) and the PythonScriptStep it was built from, built once per model (the tests only read
    them). As for every Azure test: no connection allowed, during the build (here) as in the
    tests (no_network)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV_VAR, str(local_workspace))
        attempts = refuse_connections(patch)
        offline = offline_model_workspace(config, module_mocker)
        module_mocker.patch("azureml.core.Model", return_value=registered_model(config))
        step = module_mocker.spy(drift_pipeline, "drift_step")
        pipeline = build_drift_pipeline(offline, config, new_dataset(config, None))
        built = SimpleNamespace(pipeline=pipeline, step=step.spy_return,
                                snapshots=snapshots_of(config.layout))
    module_mocker.stop(step)  # the spy is for this build: the tests build their own unspied
    assert not attempts, f"building the pipeline tried to reach the network: {attempts}"
    return built


@pytest.fixture(name="registry")
def fixture_registry(config, mocker):
    """azureml.core.Model, the registry's answer: version 3, trained on training dataset v2."""
    return mocker.patch("azureml.core.Model", return_value=registered_model(config))


def test_the_drift_pipeline_validates_and_runs_the_drift_step_on_both_datasets(config, built):
    pipeline = built.pipeline
    assert not pipeline.validate()
    [job] = job_steps(pipeline)  # what the service would receive
    assert (job.name, job.script, job.allow_reuse) == (STEP_NAME, SCRIPT, False)
    arguments = [str(argument.text) for argument in job.arguments]  # the structured strings
    assert arguments[arguments.index("--model") + 1] == f"{config.model_name}:3"
    inputs = {i.name: i for i in job.inputs}
    assert set(inputs) == {"training_data", "new_data"}
    for name, (dataset, version) in {
            "training_data": (config.dataset("training").name, 2),
            "new_data": (config.dataset("testing").name, 1)}.items():
        assert isinstance(inputs[name].source, DatasetSource)
        registration = inputs[name].source.dataset._registration  # pylint: disable=protected-access
        assert (registration.name, registration.version) == (dataset, version)
    # Images (File datasets) arrive mounted, tables as datasets: as in the training pipeline.
    assert {i.mode for i in inputs.values()} == (
        {"mount"} if config.dataset("training").type == "file" else {"direct"})
    [output] = job.outputs
    assert output.name == "drift_report" and output.destination.startswith("/drift-checks/")
    assert job.environment_variables["PYTHONPATH"] == "."


def test_the_drift_step_uploads_the_models_snapshot_not_the_repository(config, built):
    snapshot = Path(built.step._source_directory)  # pylint: disable=protected-access
    assert snapshot.parent == built.snapshots
    uploaded = {path.relative_to(snapshot).as_posix() for path in snapshot.rglob("*")}
    assert {SCRIPT, "shared_code/model_monitoring/drift_check.py",
            f"{config.folder.name}/config/model_config.yml"} <= uploaded
    assert not {path.split("/")[0] for path in uploaded} & (
        set(MODELS) - {config.folder.name} | {"testing", "README.md"})


def test_the_version_checked_is_the_one_asked_for(config, workspace, registry):
    build_drift_pipeline(workspace, config, new_dataset(config, None), version=2)
    assert registry.call_args.kwargs == {"name": config.model_name, "version": 2}


@pytest.mark.parametrize("properties", [{}, {"training_data": "{}"}])
def test_a_version_without_a_training_dataset_says_so(config, workspace, mocker, properties):
    mocker.patch("azureml.core.Model",
                 return_value=registered_model(config, properties=properties))
    with pytest.raises(DriftPipelineError, match=f"{config.model_name}:3 records no training"):
        build_drift_pipeline(workspace, config, new_dataset(config, None))


def test_an_unregistered_model_says_how_to_register_it(config, workspace, mocker):
    mocker.patch("azureml.exceptions.WebserviceException", WebserviceException)
    mocker.patch("azureml.core.Model", side_effect=WebserviceException("ModelNotFound"))
    with pytest.raises(DriftPipelineError, match="aml_pipeline --submit"):
        build_drift_pipeline(workspace, config, new_dataset(config, None))


@pytest.mark.parametrize("choice, frequency", [("daily", "Day"), ("weekly", "Week")])
def test_a_schedule_is_the_sdks_recurrence(choice, frequency):
    recurrence = schedule_recurrence(choice)
    assert (recurrence.frequency, recurrence.interval) == (frequency, 1)


@pytest.mark.usefixtures("registry")
def test_publishing_with_a_schedule_schedules_the_published_pipeline(config, workspace, mocker):
    publish = mocker.patch("azureml.pipeline.core.Pipeline.publish",
                           return_value=SimpleNamespace(id="published-1"))
    mocker.patch("shared_code.aml_sdk_v1.pipeline_submission.find_endpoint",
                 return_value=None)
    endpoint = mocker.patch("azureml.pipeline.core.PipelineEndpoint.publish")
    create = mocker.patch("azureml.pipeline.core.Schedule.create")
    published, _, scheduled = publish_drift(workspace, config, "exp", new_dataset(config, None),
                                            schedule="weekly")
    assert published.id == "published-1" and scheduled is create.return_value
    assert publish.call_args.kwargs["name"] == "exp-drift"
    assert endpoint.call_args.kwargs["name"] == "exp-drift"
    kwargs = create.call_args.kwargs
    assert (kwargs["pipeline_id"], kwargs["experiment_name"], kwargs["name"]) == (
        "published-1", "exp-drift", "exp-drift-weekly")
    assert kwargs["recurrence"].frequency == "Week"


@pytest.mark.parametrize("argv, message", [
    (["--drift"], "--drift goes with --submit, --publish, --emulate-azureml"),
    (["--drift", "--local"], "--drift goes with --submit, --publish, --emulate-azureml"),
    (["--drift", "--submit", "--wait"], "and no other option of the training pipeline"),
    (["--drift", "--sdk", "v2", "--submit"], "--drift --sdk v2 goes with --dump FILE"),
    (["--drift", "--submit", "--schedule", "daily"], "--schedule goes with --drift --publish"),
    (["--publish", "--schedule", "daily"], "go with --drift"),
    (["--submit", "--drift-dataset", "x"], "go with --drift"),
])
def test_drift_options_that_mean_nothing_are_refused(argv, message, capsys):
    config = load_model_config(model_folder("model_a"))
    with pytest.raises(SystemExit) as ended:
        pipeline_main(config, [], "model_a", argv)
    assert ended.value.code == 2 and message in capsys.readouterr().err


def test_drift_submit_checks_the_dataset_and_version_asked_for(mocker, capsys):
    config = load_model_config(model_folder("model_a"))
    mocker.patch("shared_code.amltoolbox.azure.workspace.get_workspace", return_value="ws")
    submit = mocker.patch.object(drift_target, "submit_drift")
    submit.return_value.id = "run-1"
    with pytest.raises(SystemExit) as ended:
        pipeline_main(config, [], "model_a", ["--drift", "--submit", "--drift-dataset",
                                              "d-x-new-01:3", "--drift-model", "2"])
    assert ended.value.code == 0
    assert submit.call_args.args == ("ws", config, "model_a", DatasetInput("d-x-new-01", 3), 2)
    assert "experiment 'model_a-drift': run run-1" in capsys.readouterr().out
