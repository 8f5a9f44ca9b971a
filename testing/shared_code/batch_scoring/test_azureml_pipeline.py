"""Each model's batch scoring pipeline, a real ParallelRunStep built offline and validated."""
# The SDK keeps a step's settings in private attributes.
# pylint: disable=protected-access
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
# Every test fails if anything tried to open a connection (an autouse fixture).
from azureml_fixtures import no_network  # pylint: disable=unused-import
from azureml_offline import offline_model_workspace, refuse_connections

from tested_models import model_folders_under_test
from shared_code.amltoolbox.cli.pipeline_cli import main as pipeline_main
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import DatasetInput
from shared_code.batch_scoring import azureml_pipeline
from shared_code.batch_scoring.azureml_pipeline import (ANSWERS_FILE, STEP_NAME,
                                                        build_batch_pipeline, scoring_dataset)
from shared_code.code_snapshot.model_snapshot import snapshots_of

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
MODELS = [folder.name for folder in model_folders_under_test()]


@pytest.fixture(name="config", scope="module", params=MODELS)
def fixture_config(request):
    return load_model_config(model_folder(request.param))


@pytest.fixture(name="local_workspace", scope="module")
def fixture_local_workspace(tmp_path_factory) -> Path:
    """Where this module's builds stage snapshots, not the repository's local workspace: one
    folder, so each model's snapshot is staged once and reused by every build of it."""
    return tmp_path_factory.mktemp("local-workspace")


@pytest.fixture(name="workspace")
def fixture_workspace(config, mocker, monkeypatch, local_workspace):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(local_workspace))
    return offline_model_workspace(config, mocker, max_nodes=4)


@pytest.fixture(name="built", scope="module")
def fixture_built(config, module_mocker, local_workspace) -> SimpleNamespace:
    """The model's batch pipeline of its testing dataset and the ParallelRunStep it was built
    from, built once per model (the tests only read them), with this process's sys.path
    before and after the build and the UserWarnings it gave. As for every Azure test: no
    connection allowed, during the build (here) as in the tests (no_network)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV_VAR, str(local_workspace))
        attempts = refuse_connections(patch)
        offline = offline_model_workspace(config, module_mocker, max_nodes=4)
        step = module_mocker.spy(azureml_pipeline, "batch_step")
        search_path = list(sys.path)
        # Recorded for the validate test to check: an error here would fail all the model's.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            pipeline = build_batch_pipeline(offline, config, scoring_dataset(config, None))
        built = SimpleNamespace(
            pipeline=pipeline, step=step.spy_return, search_paths=(search_path, list(sys.path)),
            user_warnings=[str(w.message) for w in caught if issubclass(w.category, UserWarning)],
            snapshots=snapshots_of(config.layout))
    module_mocker.stop(step)  # the spy is for this build: the tests build their own unspied
    assert not attempts, f"building the pipeline tried to reach the network: {attempts}"
    return built


@pytest.mark.filterwarnings("error::UserWarning")  # e.g. a package ParallelRunStep needs
def test_the_batch_pipeline_validates(built):
    assert not built.user_warnings  # building it warns of none, nor validating it (the mark)
    pipeline = built.pipeline
    assert not pipeline.validate()
    assert [node.name for node in pipeline.graph.module_nodes] == [STEP_NAME]


def test_the_step_runs_the_driver_over_the_dataset_with_the_models_arguments(config, workspace):
    step = azureml_pipeline.batch_step(workspace, config, DatasetInput(
        config.dataset("testing").name, 2), max_rejects=5)
    run_config = step._parallel_run_config
    assert run_config.entry_script == "shared_code/batch_scoring/parallel_run_driver.py"
    assert (run_config.output_action, run_config.append_row_file_name) == ("append_row",
                                                                           ANSWERS_FILE)
    assert run_config.error_threshold == 5
    arguments = step._arguments
    assert arguments[arguments.index("--model-folder") + 1] == config.folder.name
    assert arguments[arguments.index("--model-name") + 1] == config.model_name
    assert step._allow_reuse is False
    pins = run_config.environment.python.conda_dependencies.pip_packages
    assert any(p.startswith("azureml-dataset-runtime[fuse,pandas]==") for p in pins)


def test_the_step_uploads_the_models_snapshot_with_the_driver_not_the_repository(config, built):
    step = built.step
    snapshot = Path(step._parallel_run_config.source_directory)
    assert snapshot.parent == built.snapshots
    search_path, after_build = built.search_paths
    assert after_build == search_path  # the repository's modules, not the snapshot's copies
    uploaded = {path.relative_to(snapshot).as_posix() for path in snapshot.rglob("*")}
    assert {step._parallel_run_config.entry_script, "shared_code/batch_scoring/inputs.py",
            f"{config.folder.name}/config/entry_script.py"} <= uploaded
    assert not {path.split("/")[0] for path in uploaded} & (
        set(MODELS) - {config.folder.name} | {"testing", "README.md"})


def test_an_unregistered_dataset_says_how_to_register_it(config, workspace):
    from shared_code.amltoolbox.azure_settings import AzureSetupError
    with pytest.raises(AzureSetupError, match="datasets register"):
        build_batch_pipeline(workspace, config, DatasetInput("not-registered-01"))


@pytest.mark.parametrize("argv", [["--batch"], ["--batch-dataset", "x"], ["--batch", "--local"]])
def test_batch_goes_with_submit_publish_or_emulate(argv, capsys):
    config = load_model_config(model_folder("model_a"))
    with pytest.raises(SystemExit) as ended:
        pipeline_main(config, [], "model_a", argv)
    assert ended.value.code == 2
    assert "--batch goes with --submit, --publish or --emulate-azureml" in capsys.readouterr().err


def test_batch_submit_is_the_batch_pipeline_in_its_own_experiment(mocker, capsys):
    config = load_model_config(model_folder("model_a"))
    submit = mocker.patch.object(azureml_pipeline, "submit_batch")
    submit.return_value.id = "run-1"
    with pytest.raises(SystemExit) as ended:
        pipeline_main(config, [], "model_a",
                      ["--batch", "--submit", "--batch-dataset", "d-x-y-01:3"])
    assert ended.value.code == 0
    assert submit.call_args.args == (config, "model_a", DatasetInput("d-x-y-01", 3))
    assert "run run-1" in capsys.readouterr().out
