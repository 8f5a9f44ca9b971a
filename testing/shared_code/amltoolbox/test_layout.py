"""A model folder's shape: its files by the standard's names, and model folders found by it."""
import pytest

from shared_code.amltoolbox.layout import (GENERATED, NOT_CODE, ModelLayout, UnknownModelError,
                                           model_folder, model_folders)
from shared_code.amltoolbox.paths import REPO_ROOT


def _model_folder(root, name):
    (root / name / "config").mkdir(parents=True)
    (root / name / "aml_pipeline.py").write_text("", encoding="utf-8")
    (root / name / "config" / "model_config.yml").write_text("", encoding="utf-8")
    return root / name


def test_model_folders_are_found_by_their_shape(tmp_path):
    _model_folder(tmp_path, "model_b")
    _model_folder(tmp_path, "model_a")
    _model_folder(tmp_path, ".hidden_copy")
    (tmp_path / "shared_code").mkdir()
    assert [p.name for p in model_folders(tmp_path)] == ["model_a", "model_b"]
    assert REPO_ROOT / "model_a" in model_folders()


def test_a_model_is_named_by_its_folder_with_or_without_a_slash(tmp_path):
    folder = _model_folder(tmp_path, "model_a")
    assert model_folder("model_a/", tmp_path) == folder
    with pytest.raises(UnknownModelError, match="'shared_code' is not a model folder .*known "
                                                "models: model_a"):
        model_folder("shared_code", tmp_path)


@pytest.mark.parametrize("path, expected", [
    ("pipeline", "model_a/aml_pipeline.py"), ("model_module", "model_a/model.py"),
    ("model_config", "model_a/config/model_config.yml"),
    ("entry_script", "model_a/config/entry_script.py"),
    ("conda_environment", "model_a/config/conda_environment.yml"),
    ("inference_config", "model_a/config/inference_config.yml"),
    ("register_script", "model_a/script_steps/register.py"),
    ("notebooks", "model_a/notebooks")])
def test_every_file_the_standard_names_is_found_in_model_a(path, expected):
    layout = ModelLayout(model_folder("model_a"))
    assert layout.relative(getattr(layout, path)) == expected


def test_deployment_configs_and_scripts_are_named_by_their_env_and_file():
    layout = ModelLayout(model_folder("model_a"))
    assert layout.relative(layout.deployment_config("prd")) == \
        "model_a/config/deployment_config_prd.yml"
    assert layout.relative(layout.script("evaluate.py")) == "model_a/script_steps/evaluate.py"
    assert layout.prepare_data_module == "model_a.script_steps.prepare_data"


def test_what_is_not_code_includes_everything_generated():
    assert set(GENERATED) < set(NOT_CODE)
    assert {"data", "documentation", "notebooks", "eda", "devops"} <= set(NOT_CODE)
