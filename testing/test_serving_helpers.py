"""An entry script, and the server's app around it, in the test process."""
import builtins
import logging
import os
import sys

import pytest
from serving_helpers import in_process_app, load_entry_script

from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR)

SERVER_PACKAGE = "azureml_inference_server_http.server"
SCRIPT = '''
import os
from inference_schema.parameter_types.standard_py_parameter_type import (
    StandardPythonParameterType)
from inference_schema.schema_decorators import input_schema, output_schema

seen = {}

def init():
    seen["model_dir"] = os.environ["AZUREML_MODEL_DIR"]
    seen["sha256"] = os.environ.get("MODEL_SHA256")
    print("init ran")

@input_schema("data", StandardPythonParameterType([1.0]), convert_to_provided_type=False)
@output_schema(StandardPythonParameterType({"doubled": [2.0]}))
def run(data):
    return {"doubled": [2 * x for x in data], "model_dir": seen["model_dir"]}
'''


@pytest.fixture(name="entry_script")
def fixture_entry_script(tmp_path):
    """A small decorated entry script in a model folder of its own."""
    script = tmp_path / "my_model" / "config" / "entry_script.py"
    script.parent.mkdir(parents=True)
    script.write_text(SCRIPT, encoding="utf-8")
    return script


def test_an_entry_script_loads_as_a_module_of_its_model_folder_again_and_again(entry_script):
    first = load_entry_script(entry_script)
    second = load_entry_script(entry_script)  # inference-schema would refuse a second run()
    assert first.__name__ == second.__name__ == "my_model_entry_script"
    assert callable(second.init) and callable(second.run)


def test_the_servers_app_scores_through_the_script_and_its_swagger(entry_script, tmp_path):
    with in_process_app(entry_script, tmp_path / "models", "abc") as app:
        client = app.test_client()
        answer = client.post("/score", json={"data": [1, 2.5]})
        swagger = client.get("/swagger.json").get_json()
    assert answer.status_code == 200
    assert answer.get_json() == {"doubled": [2, 5.0], "model_dir": str(tmp_path / "models")}
    assert swagger["definitions"]["ServiceOutput"]["example"] == {"doubled": [2.0]}


def test_an_app_can_be_built_twice_in_one_process(entry_script, tmp_path):
    for _ in range(2):
        with in_process_app(entry_script, tmp_path) as app:
            assert app.test_client().get("/").status_code == 200


def test_building_the_app_leaves_the_process_as_it_was(entry_script, tmp_path, monkeypatch,
                                                       mocker, capfd):
    # A first import of the server, as in a fresh process, is what reconfigures logging.
    mocker.patch.dict(sys.modules)
    for name in [name for name in sys.modules if name.startswith(SERVER_PACKAGE)]:
        del sys.modules[name]
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, "before")
    monkeypatch.delenv(EXPECTED_SHA256_ENV_VAR, raising=False)
    bystander = logging.getLogger("a.bystander.logger")
    original_print = builtins.print
    with in_process_app(entry_script, tmp_path, "abc"):
        pass
    assert builtins.print is original_print
    assert not bystander.disabled
    assert os.environ[MODEL_DIR_ENV_VAR] == "before"
    assert EXPECTED_SHA256_ENV_VAR not in os.environ
    print("still printed")
    assert "still printed" in capfd.readouterr().out
