"""The shared CI template's agentOS: a model's tests, its local pipeline and its emulated one run
in one job per agent operating system, on that system's Microsoft-hosted image, with steps that
cmd.exe runs as bash does. Only Linux runs here: each choice is expanded as Azure DevOps expands
it and checked (against the official schema and for what each job runs), so that a team's own
Azure DevOps proves the other platforms on their agents."""
import json
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from azure_pipelines_templates import TemplateError, expand_pipeline

from shared_code.amltoolbox.paths import REPO_ROOT

DEVOPS = REPO_ROOT / "shared_code" / "devops"
MODEL = "model_a"
IMAGES = {"Linux": "ubuntu-latest", "Windows": "windows-latest", "macOS": "macOS-latest"}
JOBS = {"Linux": "tox", "Windows": "tox_windows", "macOS": "tox_macos"}
CHOICES = {"default": None, "Windows": ["Windows"], "macOS": ["macOS"],
           "all": ["Linux", "Windows", "macOS"]}
# Published once per run, from Linux: a second job publishing them would clash (artifact names
# are unique in a run) or merge (coverage).
PUBLISHED_ONCE = ("PublishPipelineArtifact@1", "##vso[codecoverage.publish")
# What cmd.exe does not read as bash does: python3 (no such program on Windows), a shell
# variable, operator, quoting or line continuation. $(Name) is Azure DevOps' own macro,
# replaced before any shell sees the line.
NOT_CMD = re.compile(r"\bpython3\b|\$(?!\([A-Za-z_.]+\))|&&|\|\||[;`'|<>\\]")
IN_TESTS_ENV = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]


@pytest.fixture(name="pipelines", scope="module")
def fixture_pipelines(tmp_path_factory):
    """{choice: model_a's CI passing that agentOS}, beside a copy of the shared templates."""
    root = tmp_path_factory.mktemp("agent_os")
    shutil.copytree(DEVOPS, root / "shared_code" / "devops")
    (root / "model_x").mkdir()
    text = (REPO_ROOT / MODEL / "devops_pipeline.yml").read_text(encoding="utf-8")
    pipelines = {}
    for choice, systems in CHOICES.items():
        pipelines[choice] = root / "model_x" / f"{choice}.yml"
        passed = f"      agentOS: [{', '.join(systems)}]\n" if systems else ""
        pipelines[choice].write_text(text + passed, encoding="utf-8")
    return pipelines


def _test_jobs(pipeline) -> list[dict]:
    test_stage, _ = expand_pipeline(pipeline)["stages"]
    return test_stage["jobs"]


def _scripts(job: dict) -> list[str]:
    return [step["script"] for step in job["steps"] if "script" in step]


def _commands(job: dict) -> list[list[str]]:
    return [shlex.split(script) for script in _scripts(job)]


def test_each_choice_validates_against_the_official_schema(pipelines, tmp_path):
    files = []
    for choice, pipeline in pipelines.items():
        files.append(tmp_path / f"expanded_{choice}.json")
        files[-1].write_text(json.dumps(expand_pipeline(pipeline)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.azure-pipelines", "--data-transform", "azure-pipelines",
                             "--regex-variant", "nonunicode", *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("choice", CHOICES)
def test_one_job_per_system_on_its_image(pipelines, choice):
    systems = CHOICES[choice] or ["Linux"]
    jobs = _test_jobs(pipelines[choice])
    assert [job["job"] for job in jobs] == [JOBS[system] for system in systems]
    assert [job["pool"]["vmImage"] for job in jobs] == [IMAGES[system] for system in systems]


def test_the_default_is_the_linux_job_as_before(pipelines):
    (job,) = _test_jobs(pipelines["default"])
    assert (job["job"], job["displayName"]) == ("tox", "pylint and pytest (tox)")
    _, azureml_stage = expand_pipeline(pipelines["all"])["stages"]
    assert {job["pool"]["vmImage"] for job in azureml_stage["jobs"]} == {IMAGES["Linux"]}


def test_every_system_runs_tox_the_local_pipeline_and_the_emulated_one(pipelines):
    for job in _test_jobs(pipelines["all"]):
        commands = _commands(job)
        assert ["python", "-m", "pip", "install", "-r", "virtualenvs/requirements-tox.txt"] \
            in commands
        tests = commands.index(["tox", "-e", "tests", "--", f"testing/{MODEL}"])
        local = commands.index([*IN_TESTS_ENV, "run", MODEL])
        emulated = commands.index([*IN_TESTS_ENV, "run", MODEL, "--emulate-azureml"])
        assert tests < local < emulated, job["job"]


def test_each_system_publishes_its_test_results_under_its_own_title(pipelines):
    titles = []
    for job in _test_jobs(pipelines["all"]):
        (results,) = [step for step in job["steps"] if step.get("task") == "PublishTestResults@2"]
        assert results["condition"] == "succeededOrFailed()"
        titles.append(results["inputs"]["testRunTitle"])
    assert titles == [MODEL, f"{MODEL} on Windows", f"{MODEL} on macOS"]


def test_artifacts_and_coverage_are_published_once_from_linux(pipelines):
    for job in _test_jobs(pipelines["all"]):
        published = [step for step in job["steps"]
                     if any(once in (step.get("task", "") + step.get("script", ""))
                            for once in PUBLISHED_ONCE)]
        assert bool(published) == (job["job"] == JOBS["Linux"]), job["job"]


@pytest.mark.parametrize("system", ["Windows", "macOS"])
def test_every_script_is_one_line_that_cmd_and_bash_run_alike(pipelines, system):
    (job,) = _test_jobs(pipelines[system])
    scripts = _scripts(job)
    assert scripts
    for script in scripts:
        assert "\n" not in script.strip() and not NOT_CMD.search(script), script


def test_the_cmd_check_would_see_bash_syntax():
    for bash in ("python3 -m pip install -r x", "tox -e tests && tox -e v2", "echo $HOME",
                 "set -euo pipefail; tox", "tox -e tests -- 'testing/model_a'"):
        assert NOT_CMD.search(bash), bash
    assert not NOT_CMD.search("tox exec -e tests -- python -m x --html "
                              "$(Build.ArtifactStagingDirectory)/local_run/run.html")


def test_an_unknown_system_is_refused(pipelines):
    text = pipelines["default"].read_text(encoding="utf-8") + "      agentOS: [Linux, Ubuntu]\n"
    (pipelines["default"].parent / "unknown.yml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"agentOS is 'Ubuntu', not one of"):
        expand_pipeline(pipelines["default"].parent / "unknown.yml")
