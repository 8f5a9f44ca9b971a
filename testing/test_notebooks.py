"""Every model folder's notebooks run headless, top to bottom, on a workspace where its
pipeline ran (and say what to run on an empty one), and open on the tests environment's
kernel. New models are covered by themselves."""
import json
import os
import sys

import pytest
from jupyter_client.manager import start_new_kernel
from process_helpers import PATIENCE_SECONDS
from reference_models import reference_models
from testing_helpers import NOTEBOOK_RUN_MARK, run_notebook

from tested_models import model_folders_under_test
from shared_code.amltoolbox.model_config import load_model_config

MODELS = model_folders_under_test()
NOTEBOOKS = [(folder.name, notebook) for folder in MODELS
             for notebook in sorted((folder / "notebooks").glob("*.ipynb"))]
IDS = [f"{model}/{notebook.name}" for model, notebook in NOTEBOOKS]
# Which kernel a notebook starts is the environment's, the same for every model's (their
# metadata is checked for each): the kernel itself is started for the reference models'.
REFERENCE_NOTEBOOKS = [(model, notebook) for model, notebook in NOTEBOOKS
                       if model in reference_models()]
# The kernel every Python environment with ipykernel provides under its own prefix
# (share/jupyter/kernels/python3), which VS Code starts with the interpreter that
# .vscode/settings.json names: the tests environment. A kernel named after someone's own
# environment, or the hash of their interpreter that VS Code records, opens nowhere else.
GENERIC_KERNEL = {"name": "python3", "language": "python"}


@pytest.mark.parametrize("folder", MODELS, ids=lambda folder: folder.name)
def test_every_model_has_a_notebook(folder):
    assert any(model == folder.name for model, _ in NOTEBOOKS), f"{folder.name} has none"


@pytest.mark.parametrize("model, notebook", NOTEBOOKS, ids=IDS)
def test_each_notebook_opens_on_the_tests_environments_kernel_and_holds_no_output(model,
                                                                                  notebook):
    content = json.loads(notebook.read_text(encoding="utf-8"))
    metadata = content["metadata"]
    assert {key: metadata["kernelspec"][key] for key in GENERIC_KERNEL} == GENERIC_KERNEL, model
    assert set(metadata) <= {"kernelspec", "language_info"}, "metadata of one machine"
    code = [cell for cell in content["cells"] if cell["cell_type"] == "code"]
    assert code and not any(cell["outputs"] or cell["execution_count"] for cell in code), (
        "clear the outputs before committing")


@pytest.mark.integration
@pytest.mark.parametrize("model, notebook", NOTEBOOKS, ids=IDS)
def test_each_notebook_says_what_to_run_on_an_empty_workspace_and_shows_the_registered_version(
        model, notebook, request, tmp_path):
    empty, registered = tmp_path / "empty", request.getfixturevalue(f"{model}_workspace")
    ran = run_notebook(notebook, empty, registered)
    assert ran.returncode == 0, ran.stderr[-3000:]
    on_empty, on_registered = ran.stdout.split(NOTEBOOK_RUN_MARK)[1:]
    assert on_empty.startswith(str(empty)) and on_registered.startswith(str(registered))
    assert f"run tox -e pipeline -- {model}" in on_empty
    assert f"{load_model_config(notebook.parents[1]).model_name}:1" in on_registered


def run_in_kernel(notebook, workspace_root) -> tuple[str, str]:
    """Run a notebook's code cells on the kernel named in its metadata, as VS Code or Jupyter
    starts it from this environment; the kernel's interpreter and what the cells printed."""
    kernel = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
    env = {**os.environ, "AML_LOCAL_WORKSPACE": str(workspace_root), "MPLBACKEND": "Agg"}
    manager, client = start_new_kernel(kernel_name=kernel, cwd=str(notebook.parent), env=env,
                                       startup_timeout=PATIENCE_SECONDS)
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for source in ["import sys; print(sys.executable)"] + [
                "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]:
            reply = client.execute_interactive(source, timeout=PATIENCE_SECONDS,
                                               output_hook=keep)
            assert reply["content"]["status"] == "ok", "".join(printed)[-3000:]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return printed[0].strip(), "".join(printed[1:])


@pytest.mark.integration
@pytest.mark.parametrize("model, notebook", REFERENCE_NOTEBOOKS,
                         ids=[f"{model}/{book.name}" for model, book in REFERENCE_NOTEBOOKS])
def test_each_notebook_runs_on_the_kernel_of_the_tests_environment(model, notebook, request):
    interpreter, printed = run_in_kernel(notebook, request.getfixturevalue(f"{model}_workspace"))
    assert os.path.realpath(interpreter) == os.path.realpath(sys.executable)
    assert f"{load_model_config(notebook.parents[1]).model_name}:1" in printed
