"""init() in one call: protections installed, the model loaded, its serving settings at hand."""
import logging

import pytest
from sklearn.linear_model import LinearRegression

from shared_code.amltoolbox.model_io import INFO_FILE, save_model
from shared_code.amltoolbox.serving import script_init
from shared_code.amltoolbox.serving.model_loading import EXPECTED_SHA256_ENV_VAR, MODEL_DIR_ENV_VAR
from shared_code.amltoolbox.serving.script_init import init_served_model

INFO = {"features": ["x"]}


@pytest.fixture(name="entry_script")
def fixture_entry_script(tmp_path, monkeypatch):
    """A model folder's entry script (no config/model_config.yml) and its model, my_model:2,
    laid out under AZUREML_MODEL_DIR."""
    save_model(LinearRegression().fit([[0.0], [1.0]], [0.0, 2.0]),
               tmp_path / "models" / "my_model" / "2", INFO)
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(tmp_path / "models"))
    monkeypatch.delenv(EXPECTED_SHA256_ENV_VAR, raising=False)
    script = tmp_path / "my_model" / "config" / "entry_script.py"
    script.parent.mkdir(parents=True)
    script.write_text("", encoding="utf-8")
    return script


def test_one_call_loads_the_model_with_its_info_id_and_serving_settings(entry_script, mocker):
    install = mocker.patch.object(script_init, "install_protections")
    served = init_served_model(str(entry_script))
    assert served.id == "my_model:2" and served.info == INFO
    assert served.model.predict([[2.0]]).tolist() == pytest.approx([4.0])
    assert (served.settings.model_name, served.settings.max_rows) == ("my_model", 10_000)
    assert served.settings.model_folder == entry_script.parents[1]
    install.assert_called_once_with(served.settings)


def test_without_model_info_the_model_is_served_and_the_log_says_what_it_lacked(entry_script,
                                                                                caplog):
    (entry_script.parents[2] / "models" / "my_model" / "2" / INFO_FILE).unlink()
    with caplog.at_level(logging.INFO, logger="azmlinfsrv"):
        served = init_served_model(entry_script)
    assert not served.info
    assert "my_model:2 has no model_info.json (optional" in caplog.text
