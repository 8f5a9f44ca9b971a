"""A trained model on disk: model.pkl and model_info.json."""
import json

import pytest
from sklearn.dummy import DummyRegressor

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_io import (CARD_FOLDER, INFO_FILE, MODEL_FILE, ModelFileError,
                                             ModelInfoMissing, find_model_file, info_value,
                                             load_model, model_sha256, save_model)


def _fitted():
    return DummyRegressor(constant=3.0, strategy="constant").fit([[0]], [0])


def test_a_saved_model_loads_back_with_its_info(tmp_path):
    path = save_model(_fitted(), tmp_path / "model", {"features": ["x"], "target": "y"})
    assert path == tmp_path / "model" / MODEL_FILE
    model, info = load_model(tmp_path / "model")
    assert model.predict([[1]]).tolist() == [3.0]
    assert info == {"features": ["x"], "target": "y"}
    assert json.loads((tmp_path / "model" / INFO_FILE).read_text(encoding="utf-8")) == info


def test_saving_the_same_model_twice_gives_the_same_sha256(tmp_path):
    save_model(_fitted(), tmp_path / "a", {"features": ["x"]})
    save_model(_fitted(), tmp_path / "b", {"features": ["x"]})
    assert tree_sha256(tmp_path / "a") == tree_sha256(tmp_path / "b")


def test_the_model_file_is_found_in_the_folder_one_level_below_or_given_itself(tmp_path):
    save_model(_fitted(), tmp_path / "download" / "model", {})
    expected = tmp_path / "download" / "model" / MODEL_FILE
    assert find_model_file(tmp_path / "download") == expected
    assert find_model_file(expected) == expected
    assert load_model(tmp_path / "download")[0].predict([[0]]).tolist() == [3.0]


def test_a_model_without_its_info_loads_with_empty_info(tmp_path):
    save_model(_fitted(), tmp_path, {})
    (tmp_path / INFO_FILE).unlink()
    assert load_model(tmp_path)[1] == {}


def test_a_folder_without_a_model_says_which_step_saves_it(tmp_path):
    with pytest.raises(ModelFileError, match=f"no {MODEL_FILE} in .*the train step saves it"):
        find_model_file(tmp_path)
    with pytest.raises(ModelFileError, match=r"script_steps/train\*\.py.*it is required"):
        find_model_file(tmp_path)


def test_a_value_model_info_does_not_give_names_the_file_its_writer_and_that_it_is_optional(
        tmp_path):
    assert info_value({"features": ["a"]}, "features", tmp_path) == ["a"]
    with pytest.raises(ModelInfoMissing) as missing:
        info_value({}, "training_target_mean", tmp_path)
    message = str(missing.value)
    assert f"{tmp_path}/{INFO_FILE} has no training_target_mean" in message
    assert "is optional" in message and "the train step writes it" in message


def test_a_models_sha256_does_not_cover_the_card_registered_beside_its_files(tmp_path):
    folder = tmp_path / "model"
    save_model({"a": 1}, folder, {"features": ["x"]})
    before = model_sha256(folder)
    assert before == tree_sha256(folder)  # a folder without a card: the folder's hash
    (folder / CARD_FOLDER).mkdir()
    (folder / CARD_FOLDER / "card.md").write_text("# card", encoding="utf-8")
    assert model_sha256(folder) == before != tree_sha256(folder)
    (folder / "notes.txt").write_text("changed", encoding="utf-8")
    assert model_sha256(folder) != before
    assert model_sha256(folder / MODEL_FILE) == tree_sha256(folder / MODEL_FILE)
