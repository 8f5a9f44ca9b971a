"""`python -m <model>.aml_pipeline --sdk v2 --dump FILE`: v2 YAML with no workspace and no
network, which azure-ai-ml's load_job reads back and validates wherever the file is."""
from pathlib import Path

import pytest
import yaml

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azureml_offline import refuse_connections

from shared_code.aml_sdk_v2.job_yaml import (code_relative_to, load_pipeline_job,
                                             with_relative_code)
from shared_code.aml_sdk_v2.code_snapshot import staged_code
from shared_code.aml_sdk_v2.pipeline_job import script_path, validation_problems
from shared_code.amltoolbox.paths import REPO_ROOT, workspace_root
from shared_code.amltoolbox.cli.pipeline_cli import main


def _dump(config, steps, path: Path, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(config, steps, "an-experiment", ["--sdk", "v2", "--dump", str(path)])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_the_dump_loads_back_as_the_same_validated_pipeline(model_pipeline, tmp_path,
                                                            monkeypatch, capsys):
    attempts = refuse_connections(monkeypatch)
    config, steps = model_pipeline
    out = _dump(config, steps, tmp_path / "job.yml", capsys)
    assert "validated by azure-ai-ml" in out
    job = load_pipeline_job(tmp_path / "job.yml")
    assert validation_problems(job) == []
    assert list(job.jobs) == [step.name for step in steps]
    assert job.experiment_name == "an-experiment"
    assert {name: node.component.is_deterministic for name, node in job.jobs.items()} == \
        {s.name: s.reuse and not s.compares_with_champion for s in steps}
    assert not attempts


def test_the_code_is_the_models_snapshot_relative_to_the_yaml_and_jobs_in_step_order(
        model_pipeline, tmp_path, capsys, monkeypatch):
    config, steps = model_pipeline
    monkeypatch.chdir(tmp_path)  # the working folder plays no part
    path = tmp_path / "out" / "job.yml"
    _dump(config, steps, path, capsys)
    dumped = yaml.safe_load(path.read_text())
    assert list(dumped)[0] == "$schema" and list(dumped["jobs"]) == [s.name for s in steps]
    jobs = dumped["jobs"]
    codes = {node["component"]["code"] for node in jobs.values()}
    (code,) = codes
    assert not Path(code).is_absolute()
    code_root = (path.parent / code).resolve()
    assert code_root == staged_code(config, steps).resolve()
    assert code_root.is_relative_to(workspace_root())
    assert {child.name for child in code_root.iterdir()} == {".amlignore", config.folder.name,
                                                            "shared_code"}
    for step in steps:
        assert (code_root / script_path(config, step)).is_file()


def test_beside_the_repository_the_code_root_is_dot():
    assert code_relative_to(REPO_ROOT / "job.yml") == "."


def test_only_code_paths_equal_to_the_root_are_rewritten():
    dumped = {"jobs": {"a": {"code": "/repo", "command": "/repo"}, "b": [{"code": "/other"}]}}
    assert with_relative_code(dumped, "/repo", ".") == \
        {"jobs": {"a": {"code": ".", "command": "/repo"}, "b": [{"code": "/other"}]}}


@pytest.mark.parametrize("argv, message", [
    (["--dump", "job.yml"], "--dump goes with --sdk v2"),
    (["--sdk", "v2"], "--sdk v2 goes with --dump FILE, --submit or --publish"),
    (["--sdk", "v2", "--local"], "--sdk v2 goes with"),
    (["--sdk", "v2", "--submit", "--dump", "job.yml"], "--dump writes the job"),
])
def test_meaningless_combinations_are_refused(model_pipeline, argv, message, capsys):
    config, steps = model_pipeline
    with pytest.raises(SystemExit) as stop:
        main(config, steps, "an-experiment", argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
