"""The served model: found in Azure ML's layouts, refused when its files were changed."""
import logging
import shutil

import pytest
from sklearn.linear_model import LinearRegression

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_io import MODEL_FILE, save_model
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR, UNVERSIONED,
                                                          ModelChecksumError, ModelLoadError,
                                                          load_served_model, locate_model,
                                                          verify_checksum)

INFO = {"features": ["x"], "framework": "sklearn"}


@pytest.fixture(name="saved_model")
def fixture_saved_model(tmp_path):
    """A tiny real model saved as the train step saves one."""
    folder = tmp_path / "trained"
    save_model(LinearRegression().fit([[0.0], [1.0]], [0.0, 2.0]), folder, INFO)
    return folder


def _copy(source, target):
    shutil.copytree(source, target)
    return target


def test_the_registered_layout_gives_the_highest_version(tmp_path):
    for version in ("1", "2", "10"):
        (tmp_path / "models" / "model_a" / version).mkdir(parents=True)
    (tmp_path / "models" / "model_a" / "notes").mkdir()
    assert locate_model(tmp_path / "models", "model_a") == (
        tmp_path / "models" / "model_a" / "10", "model_a", "10")


def test_the_flat_layout_takes_name_and_version_from_the_folders_path(tmp_path):
    folder = tmp_path / "azureml-models" / "registered_name" / "3"
    folder.mkdir(parents=True)
    assert locate_model(folder, "model_a") == (folder, "registered_name", "3")


def test_a_flat_folder_without_a_version_serves_as_unversioned(tmp_path):
    assert locate_model(tmp_path, "model_a") == (tmp_path, "model_a", UNVERSIONED)


def test_a_model_dir_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(ModelLoadError, match="not a folder"):
        locate_model(tmp_path / "missing", "model_a")


def test_a_registered_name_without_version_folders_is_refused(tmp_path):
    (tmp_path / "model_a").mkdir()
    with pytest.raises(ModelLoadError, match="no version folder"):
        locate_model(tmp_path, "model_a")


def test_a_flat_folder_named_like_the_model_is_not_taken_for_the_registered_layout(
        saved_model, tmp_path):
    model_dir = tmp_path / "azureml-models" / "model_a" / "3"
    _copy(saved_model, model_dir / "model_a")  # the registered folder kept the model's name
    assert locate_model(model_dir, "model_a") == (model_dir, "model_a", "3")
    served = load_served_model("model_a", model_dir, tree_sha256(saved_model))
    assert served.id == "model_a:3" and served.folder == model_dir / "model_a"


def test_a_matching_or_absent_checksum_lets_the_model_load(saved_model):
    verify_checksum(saved_model, tree_sha256(saved_model), "m:1")
    verify_checksum(saved_model, tree_sha256(saved_model).upper(), "m:1")
    verify_checksum(saved_model, None, "m:1")


def test_a_changed_file_is_refused_with_a_clear_log_line(saved_model, caplog):
    expected = tree_sha256(saved_model)
    (saved_model / "model_info.json").write_text("{}", encoding="utf-8")
    logger = logging.getLogger("azmlinfsrv.model_loading")
    logger.addHandler(caplog.handler)  # the server's logging config may stop propagation
    try:
        with pytest.raises(ModelChecksumError, match="refusing to serve m:1"):
            verify_checksum(saved_model, expected, "m:1")
    finally:
        logger.removeHandler(caplog.handler)
    assert any(record.levelno == logging.ERROR and expected in record.getMessage()
               for record in caplog.records)


def test_a_model_loads_from_the_registered_layout_with_its_info(saved_model, tmp_path):
    _copy(saved_model, tmp_path / "served" / "model_a" / "1")
    served = load_served_model("model_a", tmp_path / "served", tree_sha256(saved_model))
    assert served.id == "model_a:1"
    assert served.info == INFO
    assert served.model.predict([[2.0]]) == pytest.approx([4.0])


def test_a_registered_folder_kept_one_level_down_is_found_and_hashed(saved_model, tmp_path):
    folder = _copy(saved_model, tmp_path / "served" / "model_a" / "2" / "model")
    served = load_served_model("model_a", tmp_path / "served", tree_sha256(saved_model))
    assert (served.id, served.folder) == ("model_a:2", folder)


def test_the_model_dir_and_checksum_default_to_the_environment(saved_model, tmp_path,
                                                               monkeypatch):
    _copy(saved_model, tmp_path / "served" / "model_a" / "1")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(tmp_path / "served"))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, "0" * 64)
    with pytest.raises(ModelChecksumError):
        load_served_model("model_a")
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, tree_sha256(saved_model))
    assert load_served_model("model_a").id == "model_a:1"


def test_without_a_model_dir_loading_says_how_to_get_one(monkeypatch):
    monkeypatch.delenv(MODEL_DIR_ENV_VAR, raising=False)
    with pytest.raises(ModelLoadError, match="AZUREML_MODEL_DIR is not set"):
        load_served_model("model_a")


def test_a_folder_without_model_pkl_is_refused(saved_model, tmp_path):
    folder = _copy(saved_model, tmp_path / "served" / "model_a" / "1")
    (folder / MODEL_FILE).unlink()
    with pytest.raises(ModelLoadError, match=f"no {MODEL_FILE}"):
        load_served_model("model_a", tmp_path / "served")
