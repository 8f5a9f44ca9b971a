"""config/inference_config.yml, read as `az ml model deploy --ic` reads it; what deploy does not
use is refused, never ignored."""
import pytest

from shared_code.amltoolbox.deployment.errors import DeploymentConfigError
from shared_code.amltoolbox.deployment.inference_config import (load_inference_config,
                                                                parse_inference_config)
from shared_code.amltoolbox.layout import ModelLayout

CONFIG = {"entryScript": "model_a/config/entry_script.py", "sourceDirectory": ".",
          "runtime": "python", "condaFile": "model_a/config/conda_environment.yml"}


@pytest.fixture(name="layout")
def fixture_layout(repo_with_model_a) -> ModelLayout:
    return ModelLayout(repo_with_model_a / "model_a")


def test_the_entry_script_and_conda_file_are_read(layout):
    settings = parse_inference_config(CONFIG, layout)
    assert settings.entry_script == "model_a/config/entry_script.py"
    assert settings.conda_file == layout.conda_environment


def test_the_model_folders_file_is_loaded(layout):
    assert load_inference_config(layout.folder).conda_file == layout.conda_environment


@pytest.mark.parametrize("key", ["entryscript", "condaFiles", "entry_script"])
def test_a_key_outside_the_format_is_refused(layout, key):
    raw = {**CONFIG, key: "model_a/config/entry_script.py"}
    with pytest.raises(DeploymentConfigError, match=f"{key} is not a key of the inference config "
                                                    "format .*Check the spelling"):
        parse_inference_config(raw, layout, "x.yml")


@pytest.mark.parametrize("key, value, reason", [
    ("environment", {"name": "env", "python": {"condaDependencies": {}}}, "built from condaFile"),
    ("baseImage", "mcr.microsoft.com/azureml/base", "deprecated in favour of environments"),
    ("enableGpu", True, "deprecated in favour of environments"),
    ("description", "diabetes", "MODEL_DESCRIPTION"),
])
def test_a_format_key_that_deploy_does_not_use_is_refused_when_set(layout, key, value, reason):
    with pytest.raises(DeploymentConfigError, match=f"deploy does not use {key}: .*{reason}"):
        parse_inference_config({**CONFIG, key: value}, layout)


def test_a_format_key_left_empty_changes_nothing(layout):
    raw = {**CONFIG, "enableGpu": False, "baseImage": None, "extraDockerfileSteps": None}
    assert parse_inference_config(raw, layout) == parse_inference_config(CONFIG, layout)


@pytest.mark.parametrize("changes, message", [
    ({"sourceDirectory": "model_a"}, "sourceDirectory must be '.', the repository root"),
    ({"sourceDirectory": None}, "sourceDirectory must be '.'"),
    ({"runtime": "spark-py"}, "runtime must be 'python'"),
    ({"runtime": None}, "runtime must be 'python'"),
    ({"entryScript": ""}, "entryScript must name a file"),
    ({"entryScript": "shared_code/score.py"}, "outside model_a/, so it would not be deployed"),
    ({"entryScript": "model_a/../score.py"}, "outside model_a/"),
    ({"condaFile": "model_a/config/environment.yml"}, "condaFile .* does not exist"),
    ({"condaFile": 3}, "condaFile must name a file"),
])
def test_a_value_deploy_cannot_use_is_refused_with_the_reason(layout, changes, message):
    with pytest.raises(DeploymentConfigError, match=message):
        parse_inference_config({**CONFIG, **changes}, layout)


@pytest.mark.parametrize("content, message", [
    (None, "does not exist: every model folder needs config/inference_config.yml"),
    ("entryScript: [a", "is not valid YAML"),
    ("- entryScript\n", "must be a mapping"),
])
def test_a_file_that_is_not_an_inference_config_is_refused(layout, content, message):
    layout.inference_config.unlink()
    if content is not None:
        layout.inference_config.write_text(content, encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match=message):
        load_inference_config(layout.folder)
