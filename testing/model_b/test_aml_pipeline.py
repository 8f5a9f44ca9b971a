"""This model's pipeline and config: train_file.py trains from File datasets of PNG images.

What every model's aml_pipeline.py must do is tested in testing/model_kit/test_declaration.py.
"""
import pytest

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import FILE, validate_steps

from model_b.aml_pipeline import CONFIG, declare_steps

STEPS = declare_steps()


def test_the_steps_are_train_evaluate_register_and_training_reads_files():
    validate_steps(STEPS, CONFIG.folder / "script_steps")
    assert [(s.name, s.script_name) for s in STEPS] == [
        ("train", "train_file.py"), ("evaluate", "evaluate.py"), ("register", "register.py")]


@pytest.mark.parametrize("usage", ["training", "testing"])
def test_each_dataset_is_a_file_dataset(usage):
    assert CONFIG.dataset(usage).type == FILE


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
