"""Do what the document says, and it works: a model folder whose train, evaluate and entry
scripts use only the document's snippets (Run.get_context(), pickle, scikit-learn), with the
shipped register.py, runs locally and under the Azure ML emulator, registers its own model,
and is served.

The folder (testing/document_model_sample/) becomes a model folder only in a repository copy,
as document_model/.
"""
import ast
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from serving_helpers import free_port, wait_until_ready
from testing_helpers import copy_repository, subprocess_env

from shared_code.amltoolbox.paths import REPO_ROOT

from model_a.script_steps.prepare_data import load_diabetes_frame

SAMPLE = Path(__file__).resolve().parent / "document_model_sample"
FOLDER, NAME = "document_model", "document-model"
SAMPLE_ROWS = 120  # made by code, as every data/ folder is: data is never shared through git
TRAINING_ROWS = 90
DOCUMENT_SCRIPTS = ("script_steps/train.py", "script_steps/evaluate.py", "config/entry_script.py")


def sample_lines() -> list[str]:
    """The first patients of model_a's data (scikit-learn's diabetes, unscaled), as CSV lines."""
    return load_diabetes_frame().head(SAMPLE_ROWS).to_csv(index=False).splitlines()


def write_document_model(repo: Path) -> Path:
    """document_model/ in `repo`: the sample folder, model_a's shipped register.py under the
    model's own name and its conda file, and the sample data split in two under data/."""
    folder = repo / FOLDER
    shutil.copytree(SAMPLE, folder)
    register = (REPO_ROOT / "model_a" / "script_steps" / "register.py").read_text(encoding="utf-8")
    (folder / "script_steps" / "register.py").write_text(
        register.replace('MODEL_NAME = "model_a"', f'MODEL_NAME = "{NAME}"'), encoding="utf-8")
    shutil.copy(REPO_ROOT / "model_a" / "config" / "conda_environment.yml", folder / "config")
    header, *rows = sample_lines()
    for usage, part in (("training", rows[:TRAINING_ROWS]), ("testing", rows[TRAINING_ROWS:])):
        (folder / "data" / usage).mkdir(parents=True)
        (folder / "data" / usage / "part.csv").write_text("\n".join([header, *part]) + "\n",
                                                         encoding="utf-8")
    return folder


@pytest.fixture(name="repo", scope="module")
def fixture_repo(tmp_path_factory):
    """A repository copy holding document_model/ beside the shipped models."""
    repo = copy_repository(tmp_path_factory.mktemp("document") / "repo")
    write_document_model(repo)
    return repo


def _toolbox_imports(script: Path) -> list[str]:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names]
    modules += [node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module]
    return [m for m in modules if m.split(".")[0] in ("shared_code", "model_a", "model_b")]


@pytest.mark.parametrize("script", DOCUMENT_SCRIPTS)
def test_the_document_models_scripts_use_only_the_documents_snippets(script):
    assert not _toolbox_imports(SAMPLE / script)


def test_the_sample_is_a_model_folder_only_in_a_copy():
    from shared_code.amltoolbox.layout import model_folders
    assert FOLDER not in {folder.name for folder in model_folders()}
    assert not (REPO_ROOT / FOLDER).exists()


def _cli(repo: Path, workspace: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared_code.amltoolbox", *argv], cwd=repo,
                          env=subprocess_env(repo, workspace), capture_output=True, text=True,
                          timeout=900, check=False)


@pytest.mark.integration
def test_it_runs_registers_its_own_model_and_is_served(repo, tmp_path):
    workspace = tmp_path / "workspace"
    ran = _cli(repo, workspace, "run", FOLDER)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"registered {NAME}:1" in ran.stdout
    shown = _cli(repo, workspace, "runs", "show", "latest")
    assert shown.returncode == 0 and f"registered_model: {NAME}:1" in shown.stdout, shown.stdout
    port = free_port()
    env = subprocess_env(repo, workspace)
    url = f"http://127.0.0.1:{port}"
    with (open(tmp_path / "server.log", "w+", encoding="utf-8") as log,
          subprocess.Popen([sys.executable, "-m", "shared_code.amltoolbox", "serve", FOLDER,
                            "--port", str(port), "--workers", "1"], cwd=repo, env=env,
                           stdout=log, stderr=subprocess.STDOUT) as server):
        try:
            wait_until_ready(url, server, log)
            header, *rows = sample_lines()[:3]
            records = [dict(zip(header.split(",")[:-1], map(float, row.split(",")[:-1])))
                       for row in rows]
            request = urllib.request.Request(f"{url}/score",
                                             data=json.dumps({"data": records}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as answer:
                predictions = json.loads(answer.read())
        finally:
            server.terminate()
            server.wait(timeout=60)
    assert len(predictions) == 2 and all(isinstance(p, float) for p in predictions)


@pytest.mark.integration
def test_it_runs_and_registers_under_the_azure_ml_emulator(repo, tmp_path):
    ran = _cli(repo, tmp_path / "workspace", "run", FOLDER, "--emulate-azureml")
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]
    assert f"registered {NAME}:1" in ran.stdout
