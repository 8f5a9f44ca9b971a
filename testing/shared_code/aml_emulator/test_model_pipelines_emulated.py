"""A reference model's whole pipeline under the Azure ML emulator: train -> evaluate ->
register, then a second run that compares with the champion the first registered.

Each step runs as a job: its script in a snapshot copy, a real `_SubmittedRun`, its data
outside the working directory, Model.register real down to the HTTP call. Run on the
reference models (testing/reference_models.py); every model's CI runs its own pipeline under
the emulator.
"""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from reference_models import reference_models

from shared_code.aml_emulator.command import emulated_workspace_dir
from shared_code.aml_emulator.model_management import registered_files
from shared_code.aml_emulator.pipeline_runner import EmulatedPipelineRunner
from shared_code.aml_emulator.report import print_recorded
from shared_code.aml_emulator.store import DATASETS, RUNS
from shared_code.aml_sdk_v1.submission_records import EMULATED, SubmissionRecords
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_io import CARD_FOLDER, model_sha256
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE
from shared_code.amltoolbox.records import COMPLETED
from shared_code.model_monitoring.registered_card import CARD_PROPERTY

# The SDK's vendored YAML parser warns about its own API on every conda file it reads.
pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]

MODELS = reference_models()


def run_emulated(model: str, workspace_root: Path) -> SimpleNamespace:
    """One emulated pipeline run of `model` in the local workspace at `workspace_root`, filed
    under an experiment named like the model folder."""
    config, steps = load_pipeline(model)
    workspace = LocalWorkspace(workspace_root)
    lines = []
    try:
        runner = EmulatedPipelineRunner(config, steps, model, workspace,
                                        emulated_workspace_dir(workspace), lines.append)
        result = runner.run()
    finally:
        workspace.close()
    return SimpleNamespace(config=config, result=result, lines=lines, store=runner.store)


@pytest.fixture(name="runs", scope="module", params=MODELS)
def fixture_runs(request, tmp_path_factory):
    """A model's pipeline run twice under the emulator in one workspace."""
    root = tmp_path_factory.mktemp(f"{request.param}_emulated") / "workspace"
    first = run_emulated(request.param, root)
    second = run_emulated(request.param, root)
    return SimpleNamespace(model=request.param, first=first, second=second)


def step_record(run, name: str) -> dict:
    """The run history's record of one step of an emulated pipeline run."""
    step = next(s for s in run.result.steps if s.name == name)
    return run.store.read(RUNS, step.run_id)


def summary_of(run) -> dict:
    """evaluate's summary.json, read from where its output went (the datastore)."""
    [output] = step_record(run, "evaluate")["output_datasets"]
    folder = Path(run.store.read(DATASETS, output["saved_id"])["path"])
    return json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))


def registered_model(run) -> dict:
    """The registry's only version of the run's model."""
    [model] = run.store.model_versions(run.config.model_name)
    return model


def test_the_first_run_completes_every_step_and_registers_version_1(runs):
    first = runs.first
    assert first.result.status == COMPLETED, first.result.error
    assert [s.status for s in first.result.steps] == [COMPLETED] * 3
    assert first.result.outcome() == f"registered {first.config.model_name}:1"
    assert first.store.read(RUNS, first.result.run_id)["status"] == COMPLETED


def test_each_step_is_printed_as_the_local_run_prints_it(runs):
    progress = [line for line in runs.first.lines if line.startswith("[")]
    assert [line.split(":")[0] for line in progress] == [
        "[1/3] train", "[1/3] train", "[2/3] evaluate", "[2/3] evaluate",
        "[3/3] register", "[3/3] register"]
    assert progress[0].endswith(f"started ({load_pipeline(runs.model)[1][0].script_name})")
    assert all(" completed in " in line for line in progress[1::2])


def test_the_registered_asset_holds_the_model_evaluate_scored(runs):
    model = registered_model(runs.first)
    files = registered_files(runs.first.store, model)
    assert "model/model.pkl" in files
    folder = files["model/model.pkl"].parent
    scored = summary_of(runs.first)["trained_model_sha256"]
    assert model_sha256(folder) == scored == model["properties"]["sha256"]


def test_the_registered_asset_holds_the_model_card_its_property_names(runs):
    model = registered_model(runs.first)
    files = registered_files(runs.first.store, model)
    card_file = files[model["properties"][CARD_PROPERTY]]
    assert card_file.name == "card.md" and card_file.parent.name == CARD_FOLDER
    card = json.loads((card_file.parent / "card.json").read_text(encoding="utf-8"))
    assert (card["model"]["id"], card["model"]["sha256"]) == (
        model["id"], model["properties"]["sha256"])
    # The datasets as the emulated workspace registered them: their content hashes.
    registered = {d["id"]: d for d in card["datasets"]}
    assert set(registered) == {*json.loads(model["properties"]["training_data"]).values(),
                               *json.loads(model["properties"]["testing_data"]).values()}
    assert all(len(d["sha256"]) == 64 for d in registered.values()), registered
    assert card["evaluation"]["register_trained_model"] is True
    assert card["schema"]["example_request"] and card["documentation"]["sections"]
    assert model["properties"]["sha256"] in card_file.read_text(encoding="utf-8")


def test_tags_properties_and_lineage_are_those_the_local_run_records(runs, request):
    local_workspace = LocalWorkspace(request.getfixturevalue(f"{runs.model}_workspace"))
    local = local_workspace.models.get(runs.first.config.model_name, 1)
    local_workspace.close()
    model = registered_model(runs.first)
    assert model["kvTags"] == {key: str(value) for key, value in local.tags.items()}
    assert model["description"] == local.description
    properties = model["properties"]
    assert {key: properties[key] for key in local.properties} == {
        key: str(value) for key, value in local.properties.items()}
    assert json.loads(properties["training_data"]) == local.lineage["training_data"]
    assert json.loads(properties["testing_data"]) == local.lineage["testing_data"]
    assert properties["pipeline_run_id"] == runs.first.result.run_id
    assert {properties[GIT_COMMIT], properties[GIT_DIRTY]} == {
        local.lineage[GIT_COMMIT], local.lineage[GIT_DIRTY]}


def test_lineage_names_only_registered_datasets(runs):
    test_data = summary_of(runs.first)["test_data"]
    testing_data = json.loads(registered_model(runs.first)["properties"]["testing_data"])
    assert test_data == testing_data and set(test_data) == {"test_data"}
    assert "None" not in json.dumps(test_data)
    assert all(":" in value and not value.endswith(":None") for value in test_data.values())


def test_data_reaches_the_steps_outside_their_working_directory(runs):
    for step in runs.first.result.steps:
        record = runs.first.store.read(RUNS, step.run_id)
        job = runs.first.store.path("jobs", step.run_id)
        for item in record["input_datasets"]:
            if item["mode"] != "direct":
                path = Path(item["path_on_compute"])
                assert path.is_relative_to(job) and not path.is_relative_to(job / "exe" / "wd")


def test_the_second_run_compares_with_the_champion_the_first_registered(runs):
    second, name = runs.second, runs.first.config.model_name
    assert second.result.status == COMPLETED, second.result.error
    assert summary_of(second)["champion"]["id"] == f"{name}:1"
    assert second.result.outcome() == (
        f"nothing registered: the trained model is identical to the champion {name}:1")
    assert [m["version"] for m in second.store.model_versions(name)] == [1]
    metrics = second.result.steps[1].metrics
    primary = second.config.evaluation.primary_metric
    assert metrics[f"champion_{primary}"] == metrics[primary]


def test_what_azure_ml_recorded_is_printed_after_the_run(runs):
    lines = []
    print_recorded(runs.first.result, runs.first.store, lines.append)
    name = runs.first.config.model_name
    assert any(line.startswith("metrics (evaluate): ") for line in lines)
    assert f"tags (register): registered_model={name}:1" in lines
    assert any(line.startswith(f"model {name}:1 in the registry: tags ") for line in lines)
    assert lines[-1] == f"run {runs.first.result.run_id}: Completed; registered {name}:1"


def test_each_emulated_run_records_the_keys_azure_ml_would_give_its_steps(runs):
    workspace = LocalWorkspace(runs.second.store.root.parent)
    try:
        recorded = SubmissionRecords(workspace.store).last(runs.model, EMULATED)
    finally:
        workspace.close()
    assert recorded["run_id"] == runs.second.result.run_id
    assert set(recorded["steps"]) == {step.name for step in runs.second.result.steps}
    for parts in recorded["steps"].values():
        definition, content = parts["fingerprint"].split("_")  # the SDK's two hashes
        assert len(definition) == len(content) == 64
        assert {path.split("/")[0] for path in parts["snapshot"]} == {
            ".amlignore", "shared_code", runs.model}
