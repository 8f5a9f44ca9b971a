"""Fixtures of the local runtime's tests: the tiny model of tiny_pipeline.py in a workspace."""
import dataclasses
import textwrap

import pytest
from tiny_pipeline import DATA, SCRIPTS

from shared_code.amltoolbox.local.fingerprint import code_manifest
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import load_pipeline


@pytest.fixture(name="tiny_workspace")
def fixture_tiny_workspace(tmp_path):
    """A workspace with the tiny dataset registered."""
    workspace = LocalWorkspace(tmp_path / "ws")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "data.txt").write_text("abc", encoding="utf-8")
    workspace.datasets.register(DATA, "file", tmp_path / "data", "tiny data")
    yield workspace
    workspace.close()


@pytest.fixture(name="tiny_config")
def fixture_tiny_config(tmp_path, mocker):
    """A model folder in tmp_path holding the tiny scripts, its code hashed from there."""
    mocker.patch("shared_code.amltoolbox.local.runner.code_manifest",
                 lambda layout, scripts: code_manifest(layout, scripts, repo_root=tmp_path))
    folder = tmp_path / "model_t"
    (folder / "script_steps").mkdir(parents=True)
    (folder / "config").mkdir()
    (folder / "config" / "conda_environment.yml").write_text("name: t\n", encoding="utf-8")
    for name, code in SCRIPTS.items():
        (folder / "script_steps" / name).write_text(textwrap.dedent(code), encoding="utf-8")
    return dataclasses.replace(load_pipeline("model_a")[0], folder=folder, model_name="model_t")
