"""model_b's pipeline and config: File datasets named by the convention, train_file.py trains."""
import pytest
from testing_helpers import run_model_pipeline

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.naming import check_dataset_name
from shared_code.amltoolbox.pipeline import FILE, registered_datasets, validate_steps

from model_b.aml_pipeline import CONFIG, declare_steps

STEPS = declare_steps()


def test_the_steps_are_train_evaluate_register_and_training_reads_files():
    validate_steps(STEPS, CONFIG.folder / "script_steps")
    assert [(s.name, s.script_name) for s in STEPS] == [
        ("train", "train_file.py"), ("evaluate", "evaluate.py"), ("register", "register.py")]


@pytest.mark.parametrize("usage", ["training", "testing"])
def test_each_dataset_is_a_file_dataset_named_by_the_convention(usage):
    spec = CONFIG.dataset(usage)
    assert spec.type == FILE
    parts = check_dataset_name(spec.name)
    assert (parts["modeltype"], parts["usage"]) == (CONFIG.tags["modeltype"], usage)
    assert spec.tags["Usage"] == usage and spec.tags["Models Using This Dataset"] == "model_b"


def test_the_pipeline_reads_exactly_the_configured_datasets():
    assert [d.name for d in registered_datasets(STEPS)] == [
        CONFIG.dataset("training").name, CONFIG.dataset("testing").name]


def test_a_better_model_is_one_with_a_higher_macro_f1():
    rule = CONFIG.evaluation
    assert (rule.primary_metric, rule.greater_is_better) == ("f1_macro", True)


@pytest.fixture(name="workspace")
def fixture_workspace(model_b_workspace):
    """The session workspace in which model_b's real pipeline has run once."""
    workspace = LocalWorkspace(model_b_workspace)
    yield workspace
    workspace.close()


@pytest.mark.integration
def test_the_first_run_registers_model_b_1_with_its_metrics_and_lineage(workspace):
    [record] = workspace.models.list(CONFIG.model_name)
    assert record.id == "model_b:1"
    assert record.properties["accuracy"] > 0.97 and record.properties["f1_macro"] > 0.97
    assert record.properties["min_recall"] > 0.9
    assert record.lineage["training_data"] == {"train_data": "classification-digits-training-01:1"}
    assert record.lineage["testing_data"] == {"test_data": "classification-digits-testing-01:1"}
    evaluate = next(step for step in workspace.runs.get(record.run_id).steps
                    if step.step == "evaluate")
    assert set(evaluate.images) == {"confusion_matrix"}


@pytest.mark.integration
def test_the_datasets_are_registered_as_file_datasets_of_png_images(workspace):
    for usage, files in (("training", 1347), ("testing", 450)):
        record = workspace.datasets.get(CONFIG.dataset(usage).name)
        assert (record.type, record.files, record.version) == (FILE, files, 1)
        assert record.description == CONFIG.dataset(usage).description_text()
        assert {p.suffix for p in record.path.rglob("*") if p.is_file()} == {".png"}


@pytest.mark.integration
def test_a_second_run_registers_nothing_new(model_b_workspace, workspace):
    result = run_model_pipeline(CONFIG.folder.name, model_b_workspace)
    assert result.succeeded, result.error
    assert result.outcome().startswith("nothing registered")
    assert [r.id for r in workspace.models.list(CONFIG.model_name)] == ["model_b:1"]
