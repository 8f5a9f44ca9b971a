"""`python -m MODEL.aml_pipeline --drift --sdk v2 --dump FILE`: the drift check as a v2 pipeline
job, written with no workspace and no network, read back and validated by azure-ai-ml."""
import pytest
import yaml

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azureml_offline import refuse_connections

from tested_models import model_folders_under_test
from shared_code.aml_sdk_v2.job_yaml import load_pipeline_job
from shared_code.aml_sdk_v2.pipeline_job import validation_problems
from shared_code.aml_sdk_v2.step_io import STEP_ENV_VAR, StepIO
from shared_code.amltoolbox.cli.pipeline_cli import main
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.code_snapshot.model_snapshot import snapshots_of
from shared_code.model_monitoring.drift_job_v2 import JOB_NAME
from shared_code.model_monitoring.drift_pipeline import SCRIPT

MODELS = [folder.name for folder in model_folders_under_test()]


def _dump(config, path, capsys, *options) -> str:
    with pytest.raises(SystemExit) as stop:
        main(config, [], "exp", ["--drift", "--sdk", "v2", "--dump", str(path), *options])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("model", MODELS)
def test_the_drift_job_loads_back_validated(model, tmp_path, monkeypatch, capsys):
    attempts = refuse_connections(monkeypatch)
    config = load_model_config(model_folder(model))
    assert "validated by azure-ai-ml" in _dump(config, tmp_path / "drift.yml", capsys)
    job = load_pipeline_job(tmp_path / "drift.yml")
    assert validation_problems(job) == [] and list(job.jobs) == [JOB_NAME]
    assert job.experiment_name == "exp-drift"
    node = job.jobs[JOB_NAME]
    assert node.component.is_deterministic is False
    assert node.component.command.startswith(f"python {SCRIPT} --model {config.model_name}:")
    assert "--model-dir ${{inputs.model}}" in node.component.command
    io = StepIO.from_json(node.component.environment_variables[STEP_ENV_VAR])
    assert {name: spec.dataset for name, spec in io.inputs.items()} == {
        "training_data": config.dataset("training").name,
        "new_data": config.dataset("testing").name}
    assert io.outputs == ("drift_report",)
    assert not attempts


def test_a_model_version_and_dataset_asked_for_are_pinned(tmp_path, capsys):
    config = load_model_config(model_folder("model_a"))
    path = tmp_path / "out" / "drift.yml"
    _dump(config, path, capsys, "--drift-model", "3", "--drift-dataset", "regression-x-new-01:2")
    inputs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"][JOB_NAME]["inputs"]
    assert inputs["model"] == {"mode": "ro_mount", "path": f"azureml:{config.model_name}:3",
                               "type": "custom_model"}
    assert inputs["new_data"]["path"] == "azureml:regression-x-new-01:2"
    code = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"][JOB_NAME]["component"]["code"]
    snapshot = (path.parent / code).resolve()
    assert snapshot.parent == snapshots_of(config.layout).resolve()  # not the whole repository
    assert (snapshot / SCRIPT).read_bytes() == (REPO_ROOT / SCRIPT).read_bytes()
