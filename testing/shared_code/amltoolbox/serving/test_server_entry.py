"""The toolbox's entry script around the model's: what names the model's script, how it is
imported, and the server's app serving a script through it."""
import re

import pytest
from serving_helpers import in_process_app

from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.server_entry import (MODEL_ENTRY_SCRIPT_ENV_VAR,
                                                         SERVER_ENTRY_SCRIPT, EntryScriptError,
                                                         deployed_entry, import_model_entry_script,
                                                         model_entry_script_path,
                                                         server_entry_variables)

PLAIN = "import json\n\ndef init():\n    pass\n\ndef run(data):\n    return json.loads(data)\n"


def _script(tmp_path, text: str = PLAIN):
    script = tmp_path / "my_model" / "config" / "entry_script.py"
    script.parent.mkdir(parents=True)
    script.write_text(text, encoding="utf-8")
    return script


def test_locally_the_server_runs_the_toolboxs_script_which_names_the_models():
    script = REPO_ROOT / "model_a" / "config" / "entry_script.py"
    assert server_entry_variables(script) == {"AZUREML_ENTRY_SCRIPT": str(SERVER_ENTRY_SCRIPT),
                                              MODEL_ENTRY_SCRIPT_ENV_VAR: str(script)}


def test_a_deployment_names_both_scripts_relative_to_its_source_directory():
    assert deployed_entry("model_a/config/entry_script.py") == (
        "shared_code/amltoolbox/serving/server_entry_script.py",
        {MODEL_ENTRY_SCRIPT_ENV_VAR: "model_a/config/entry_script.py"})


def test_the_models_script_is_found_relative_to_the_folder_holding_shared_code(monkeypatch):
    monkeypatch.setenv(MODEL_ENTRY_SCRIPT_ENV_VAR, "model_a/config/entry_script.py")
    assert model_entry_script_path() == REPO_ROOT / "model_a" / "config" / "entry_script.py"
    monkeypatch.delenv(MODEL_ENTRY_SCRIPT_ENV_VAR)
    with pytest.raises(EntryScriptError, match="MODEL_ENTRY_SCRIPT is not set"):
        model_entry_script_path()


def test_the_models_script_is_imported_as_the_server_imports_one(tmp_path):
    module = import_model_entry_script(_script(tmp_path))
    assert module.__name__ == "entry_module" and module.run('{"a": 1}') == {"a": 1}


@pytest.mark.parametrize("text, missing", [("def init():\n    pass\n", "has no run()"),
                                           ("x = 1\n", "has no init() and no run()")])
def test_a_script_without_init_or_run_is_refused_saying_what_it_must_define(tmp_path, text,
                                                                              missing):
    with pytest.raises(EntryScriptError, match=re.escape(f"{missing}: an entry script "
                                                                 "defines init()")):
        import_model_entry_script(_script(tmp_path, text))


def test_a_missing_script_is_refused(tmp_path):
    with pytest.raises(EntryScriptError, match="does not exist"):
        import_model_entry_script(tmp_path / "config" / "entry_script.py")


def test_a_plain_script_behind_it_gets_a_400_for_a_body_that_is_not_json(tmp_path):
    with in_process_app(_script(tmp_path), tmp_path) as app:
        client = app.test_client()
        good = client.post("/score", data=b'{"data": [1]}')
        bad = client.post("/score", data=b"{not json")
    assert good.status_code == 200 and good.get_json() == {"data": [1]}
    assert bad.status_code == 400
    assert "could not be decoded as JSON" in bad.get_json()["message"]


def test_served_alone_a_plain_script_has_no_such_protection(tmp_path):
    with in_process_app(_script(tmp_path), tmp_path, as_served=False) as app:
        assert app.test_client().post("/score", data=b"{not json").status_code == 500
