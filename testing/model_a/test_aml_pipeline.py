"""model_a's aml_pipeline.py: declare_steps() is the standard's step list, run_pipeline()
files the runs under its experiment.

The pipeline they build is checked for every model, offline with the real SDK, in
testing/shared_code/amltoolbox/azure/test_model_pipelines.py.
"""
import subprocess
import sys

import pytest

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import validate_steps

from model_a import aml_pipeline
from model_a.aml_pipeline import CONFIG, declare_steps


def test_the_steps_are_train_evaluate_register_and_training_reads_a_table():
    steps = declare_steps()
    validate_steps(steps, CONFIG.layout.script_steps)
    assert [(s.name, s.script_name) for s in steps[1:]] == [
        ("evaluate", "evaluate.py"), ("register", "register.py")]
    assert steps[0].name == "train" and steps[0].script_name.startswith("train")
    assert [s.reuse for s in steps] == [True, True, False]


# As shipped (and as new-model renames it), the experiment is named after the model.
EXPERIMENT = CONFIG.model_name


@pytest.mark.parametrize("argv", [None, ["--submit", "--wait"]])
def test_run_pipeline_runs_the_declared_steps_under_its_experiment(mocker, argv):
    main = mocker.patch.object(pipeline_cli, "main")
    aml_pipeline.run_pipeline(argv)
    main.assert_called_once_with(CONFIG, declare_steps(), EXPERIMENT, argv)


def test_the_module_is_the_pipelines_command_line():
    result = subprocess.run([sys.executable, "-m", f"{CONFIG.folder.name}.aml_pipeline",
                             "--help"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=True, timeout=120)
    text = "".join(result.stdout.split())  # argparse wraps its help, at hyphens too
    assert f"experiment'{EXPERIMENT}'" in text and "--submit" in text
