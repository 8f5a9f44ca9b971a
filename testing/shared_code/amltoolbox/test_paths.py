"""Where things are: model folders found by their shape, the workspace."""
import pytest

from shared_code.amltoolbox.paths import (REPO_ROOT, UnknownModelError, model_folder,
                                          model_folder_of, model_folders, python_name)


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


def test_a_file_knows_its_model_folder(tmp_path):
    folder = _model_folder(tmp_path, "model_a")
    assert model_folder_of(folder / "script_steps" / "train.py") == folder
    with pytest.raises(UnknownModelError, match="is not inside a model folder"):
        model_folder_of(tmp_path / "elsewhere.py")


@pytest.mark.parametrize("name, expected", [("canal-level-forecasting", "canal_level_forecasting"),
                                            (" Model B ", "model_b"), ("model_a", "model_a")])
def test_python_names(name, expected):
    assert python_name(name) == expected
