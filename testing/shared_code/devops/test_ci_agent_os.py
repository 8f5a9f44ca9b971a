"""agentOS, in a model's CI (the shared template's parameter) and in the shared code's CI (its
own, chosen when a run is queued): the tests with tox, and a model's local and emulated pipeline,
run in one job per agent operating system, on that system's Microsoft-hosted image, with
`script` steps that cmd.exe runs as bash does. Only Linux runs here: each choice is expanded as
Azure DevOps expands it and checked (against the official schema and for what each job runs),
so that a team's own Azure DevOps proves the other platforms on their agents."""
import json
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from azure_pipelines_templates import TemplateError, expand_pipeline

from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.devops.trigger_paths import SHARED_CI_FILE

DEVOPS = REPO_ROOT / "shared_code" / "devops"
MODEL = "model_a"
IMAGES = {"Linux": "ubuntu-latest", "Windows": "windows-latest", "macOS": "macOS-latest"}
JOBS = {"Linux": "tox", "Windows": "tox_windows", "macOS": "tox_macos"}
CHOICES = {"default": None, "Windows": ["Windows"], "macOS": ["macOS"],
           "all": ["Linux", "Windows", "macOS"]}
CIS = ("model", "shared")
TITLES = {"model": MODEL, "shared": "shared_code"}
# Published once per run, from Linux: a second job publishing them would clash (artifact names
# are unique in a run) or merge (coverage).
PUBLISHED_ONCE = ("PublishPipelineArtifact@1", "##vso[codecoverage.publish")
# What cmd.exe does not read as bash does: python3 (no such program on Windows), a shell
# variable, glob, operator, quoting or line continuation. $(Name) is Azure DevOps' own macro,
# replaced before any shell sees the line. A `bash` step may use them: it runs in bash on every
# agent (Git Bash on Windows).
NOT_CMD = re.compile(r"\bpython3\b|\$(?!\([A-Za-z_.]+\))|&&|\|\||[;`'|<>\\*?]")
IN_TESTS_ENV = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]


@pytest.fixture(name="pipelines", scope="module")
def fixture_pipelines(tmp_path_factory) -> dict[tuple[str, str], object]:
    """{(ci, choice): the pipeline file}: model_a's CI passing that agentOS, and the shared
    code's CI with it as the default (a run started without choosing), beside a copy of the
    shared templates."""
    root = tmp_path_factory.mktemp("agent_os")
    shutil.copytree(DEVOPS, root / "shared_code" / "devops")
    (root / "model_x").mkdir()
    model_ci = (REPO_ROOT / MODEL / "devops_pipeline.yml").read_text(encoding="utf-8")
    shared_ci = (REPO_ROOT / SHARED_CI_FILE).read_text(encoding="utf-8")
    assert shared_ci.count("default: [Linux]") == 1
    pipelines = {}
    for choice, systems in CHOICES.items():
        listed = f"[{', '.join(systems or ['Linux'])}]"
        pipelines["model", choice] = root / "model_x" / f"{choice}.yml"
        pipelines["model", choice].write_text(
            model_ci + (f"      agentOS: {listed}\n" if systems else ""), encoding="utf-8")
        pipelines["shared", choice] = root / "shared_code" / "devops" / f"shared_{choice}.yml"
        pipelines["shared", choice].write_text(
            shared_ci.replace("default: [Linux]", f"default: {listed}"), encoding="utf-8")
    return pipelines


def _test_jobs(pipeline) -> list[dict]:
    return expand_pipeline(pipeline)["stages"][0]["jobs"]


def _commands(job: dict, kind: str | None = None) -> list[list[str]]:
    """The command lines of the job's script and bash steps (or of one `kind`), split."""
    return [shlex.split(step[key]) for step in job["steps"] for key in ("script", "bash")
            if key in step and kind in (None, key)]


def test_each_choice_validates_against_the_official_schema(pipelines, tmp_path):
    files = []
    for (ci, choice), pipeline in pipelines.items():
        files.append(tmp_path / f"expanded_{ci}_{choice}.json")
        files[-1].write_text(json.dumps(expand_pipeline(pipeline)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.azure-pipelines", "--data-transform", "azure-pipelines",
                             "--regex-variant", "nonunicode", *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("ci", CIS)
@pytest.mark.parametrize("choice", CHOICES)
def test_one_job_per_system_on_its_image(pipelines, ci, choice):
    systems = CHOICES[choice] or ["Linux"]
    jobs = _test_jobs(pipelines[ci, choice])
    assert [job["job"] for job in jobs] == [JOBS[system] for system in systems]
    assert [job["pool"]["vmImage"] for job in jobs] == [IMAGES[system] for system in systems]


@pytest.mark.parametrize("ci", CIS)
def test_the_default_is_the_linux_job_as_before(pipelines, ci):
    (job,) = _test_jobs(pipelines[ci, "default"])
    assert (job["job"], job["displayName"]) == ("tox", "pylint and pytest (tox)")


def test_the_azure_ml_stage_stays_on_the_linux_image(pipelines):
    _, azureml_stage = expand_pipeline(pipelines["model", "all"])["stages"]
    assert {job["pool"]["vmImage"] for job in azureml_stage["jobs"]} == {IMAGES["Linux"]}


def test_every_system_runs_tox_the_local_pipeline_and_the_emulated_one(pipelines):
    for job in _test_jobs(pipelines["model", "all"]):
        commands = _commands(job)
        assert ["python", "-m", "pip", "install", "-r", "virtualenvs/requirements-tox.txt"] \
            in commands
        tests = commands.index(["tox", "-e", "tests", "--", f"testing/{MODEL}",
                                "testing/model_kit"])
        local = commands.index([*IN_TESTS_ENV, "run", MODEL])
        emulated = commands.index([*IN_TESTS_ENV, "run", MODEL, "--emulate-azureml"])
        assert tests < local < emulated, job["job"]


def test_every_system_runs_the_shared_codes_tests_in_bash_for_their_glob(pipelines):
    for job in _test_jobs(pipelines["shared", "all"]):
        assert ["tox", "-e", "tests", "--", "testing/shared_code", "testing/test_*.py"] \
            in _commands(job, "bash")
        assert ["tox", "-e", "v2"] in _commands(job), job["job"]


@pytest.mark.parametrize("ci", CIS)
def test_each_system_publishes_its_test_results_under_its_own_title(pipelines, ci):
    titles = []
    for job in _test_jobs(pipelines[ci, "all"]):
        (results,) = [step for step in job["steps"] if step.get("task") == "PublishTestResults@2"]
        assert results["condition"] == "succeededOrFailed()"
        titles.append(results["inputs"]["testRunTitle"])
    assert titles == [TITLES[ci], f"{TITLES[ci]} on Windows", f"{TITLES[ci]} on macOS"]


@pytest.mark.parametrize("ci", CIS)
def test_artifacts_and_coverage_are_published_once_from_linux(pipelines, ci):
    for job in _test_jobs(pipelines[ci, "all"]):
        published = [step for step in job["steps"]
                     if any(once in (step.get("task", "") + step.get("script", ""))
                            for once in PUBLISHED_ONCE)]
        assert bool(published) == (job["job"] == JOBS["Linux"]), job["job"]


@pytest.mark.parametrize("ci", CIS)
@pytest.mark.parametrize("system", ["Windows", "macOS"])
def test_every_script_is_one_line_that_cmd_and_bash_run_alike(pipelines, ci, system):
    (job,) = _test_jobs(pipelines[ci, system])
    scripts = [step["script"] for step in job["steps"] if "script" in step]
    assert scripts
    for script in scripts:
        assert "\n" not in script.strip() and not NOT_CMD.search(script), script


def test_the_cmd_check_would_see_bash_syntax():
    for bash in ("python3 -m pip install -r x", "tox -e tests && tox -e v2", "echo $HOME",
                 "set -euo pipefail; tox", "tox -e tests -- 'testing/model_a'",
                 "tox -e tests -- testing/test_*.py"):
        assert NOT_CMD.search(bash), bash
    assert not NOT_CMD.search("tox exec -e tests -- python -m x --html "
                              "$(Build.ArtifactStagingDirectory)/local_run/run.html")


def test_an_unknown_system_is_refused(pipelines):
    default = pipelines["model", "default"]
    text = default.read_text(encoding="utf-8") + "      agentOS: [Linux, Ubuntu]\n"
    (default.parent / "unknown.yml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"agentOS is 'Ubuntu', not one of"):
        expand_pipeline(default.parent / "unknown.yml")
