"""Every model's aml_pipeline.py: declare_steps() is the standard's train -> evaluate ->
register over the datasets its config names, and run_pipeline() files the runs under its
experiment, the model's name unless the model chooses another."""
import subprocess
import sys

import pytest

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.model_config import MODELS_TAG, USAGE_TAG
from shared_code.amltoolbox.naming import check_dataset_name
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import registered_datasets, validate_steps


def test_the_steps_are_train_evaluate_register_each_running_a_script_it_has(pipeline):
    steps = pipeline.declare_steps()
    validate_steps(steps, pipeline.CONFIG.layout.script_steps)
    assert [s.name for s in steps] == ["train", "evaluate", "register"]
    assert steps[0].script_name.startswith("train")
    assert [s.reuse for s in steps] == [True, True, False]


@pytest.mark.parametrize("argv", [None, ["--submit", "--wait"]])
def test_run_pipeline_runs_the_declared_steps_under_its_experiment(pipeline, mocker, argv):
    main = mocker.patch.object(pipeline_cli, "main")
    pipeline.run_pipeline(argv)
    main.assert_called_once_with(pipeline.CONFIG, pipeline.declare_steps(),
                                 pipeline.CONFIG.model_name, argv)


def test_the_module_is_the_pipelines_command_line(model, pipeline):
    result = subprocess.run([sys.executable, "-m", f"{model}.aml_pipeline", "--help"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                            timeout=120)
    text = "".join(result.stdout.split())  # argparse wraps its help, at hyphens too
    assert f"experiment'{pipeline.CONFIG.model_name}'" in text and "--submit" in text


@pytest.mark.parametrize("usage", ["training", "testing"])
def test_each_dataset_is_named_by_the_convention_and_tagged_with_its_use(pipeline, usage):
    config = pipeline.CONFIG
    spec = config.dataset(usage)
    parts = check_dataset_name(spec.name)
    assert (parts["modeltype"], parts["usage"]) == (config.tags["modeltype"], usage)
    assert spec.tags[USAGE_TAG] == usage and spec.tags[MODELS_TAG] == config.model_name


def test_the_pipeline_reads_exactly_the_configured_datasets(pipeline):
    assert [d.name for d in registered_datasets(pipeline.declare_steps())] == [
        pipeline.CONFIG.dataset("training").name, pipeline.CONFIG.dataset("testing").name]
