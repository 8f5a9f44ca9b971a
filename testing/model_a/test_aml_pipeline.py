"""This model's pipeline: its training step reads Tabular datasets.

What every model's aml_pipeline.py must do (the standard's steps, its experiment, its command
line, its datasets) is tested in testing/model_kit/test_declaration.py; the Azure ML pipeline
it builds in testing/shared_code/amltoolbox/azure/test_model_pipelines.py.
"""
import pytest

from shared_code.amltoolbox.pipeline import TABULAR

from model_a.aml_pipeline import CONFIG, declare_steps


def test_the_steps_are_train_evaluate_and_register_with_the_training_script_of_its_choice():
    steps = declare_steps()
    assert [(s.name, s.script_name) for s in steps[1:]] == [
        ("evaluate", "evaluate.py"), ("register", "register.py")]
    assert steps[0].name == "train" and steps[0].script_name.startswith("train")


@pytest.mark.parametrize("usage", ["training", "testing"])
def test_each_dataset_is_a_tabular_dataset(usage):
    assert CONFIG.dataset(usage).type == TABULAR
