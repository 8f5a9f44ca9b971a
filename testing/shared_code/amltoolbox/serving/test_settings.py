"""A model folder's serving settings: its config's, or the defaults when it has none."""
import logging

import pytest

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.serving.settings import ServingSettings, serving_settings
from shared_code.amltoolbox.serving.validation import (BODY_OVERHEAD_BYTES, DEFAULT_MAX_ROWS,
                                                       DEFAULT_MAX_ROW_BYTES)


def test_a_model_folders_settings_are_its_configs():
    settings = serving_settings(model_folder("model_b"))
    assert (settings.model_name, settings.max_rows) == ("model_b", 1000)
    assert settings.max_body_bytes == 1000 * 2048 + BODY_OVERHEAD_BYTES
    assert settings.model_folder == model_folder("model_b")


@pytest.mark.parametrize("register, name", [(None, "plain_model"),
                                            ('MODEL_NAME = "plain-model"\n', "plain-model")])
def test_a_folder_without_model_config_is_served_with_the_defaults_and_says_so(
        tmp_path, caplog, register, name):
    folder = tmp_path / "plain_model"
    (folder / "config").mkdir(parents=True)
    if register:
        (folder / "script_steps").mkdir()
        (folder / "script_steps" / "register.py").write_text(register, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="azmlinfsrv.serving"):
        settings = serving_settings(folder)
    assert settings == ServingSettings(name, folder)
    assert settings.max_rows == DEFAULT_MAX_ROWS
    assert settings.max_body_bytes == DEFAULT_MAX_ROWS * DEFAULT_MAX_ROW_BYTES + BODY_OVERHEAD_BYTES
    assert "plain_model has no config/model_config.yml: serving with the default limits " \
           "(10,000 rows" in caplog.text


def test_a_bad_limit_is_refused_saying_what_to_set(tmp_path):
    with pytest.raises(ValueError, match="serving.max_rows .* is 0"):
        ServingSettings("m", tmp_path, {"max_rows": 0})
