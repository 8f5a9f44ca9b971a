"""This model's pipeline: train_tabular.py trains from Tabular datasets.

What every model's aml_pipeline.py must do (the standard's steps, its experiment, its command
line, its datasets) is tested in testing/model_kit/test_declaration.py; the Azure ML pipeline
it builds in testing/shared_code/amltoolbox/azure/test_model_pipelines.py.
"""
import pytest

from shared_code.amltoolbox.pipeline import TABULAR

from model_a.aml_pipeline import CONFIG, declare_steps


def test_the_steps_run_train_tabular_evaluate_and_register():
    assert [(s.name, s.script_name) for s in declare_steps()] == [
        ("train", "train_tabular.py"), ("evaluate", "evaluate.py"), ("register", "register.py")]


@pytest.mark.parametrize("usage", ["training", "testing"])
def test_each_dataset_is_a_tabular_dataset(usage):
    assert CONFIG.dataset(usage).type == TABULAR
