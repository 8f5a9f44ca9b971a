"""Every model's Azure DevOps CI (devops_pipeline.yml) and CD (release_pipeline.yml), checked
offline against the official Azure Pipelines schema that check-jsonschema ships, and against
what they must do for this project. New model folders are covered by themselves."""
import configparser
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema

from shared_code.amltoolbox.cli.main import build_parser
from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.paths import REPO_ROOT

MODELS = model_folders()
MODEL_IDS = [folder.name for folder in MODELS]
CI_FILE, RELEASE_FILE = "devops_pipeline.yml", "release_pipeline.yml"
PIPELINE_FILES = [folder / name for folder in MODELS for name in (CI_FILE, RELEASE_FILE)]
PIPELINE_IDS = [f"{path.parent.name}/{path.name}" for path in PIPELINE_FILES]
SCHEMA = "vendor.azure-pipelines"
COVERAGE_COMMAND = "##vso[codecoverage.publish"
CHECK_ARGS = ["--data-transform", "azure-pipelines", "--regex-variant", "nonunicode",
              "--output-format", "json"]
_MACRO = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.]*)\)"
                    r"|\$\{\{\s*variables\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


# --- reading a pipeline file as Azure DevOps would --------------------------------------------

def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _expand_each(data: dict) -> dict:
    """The pipeline with its `${{ each X in parameters.P }}` stage loops unrolled."""
    defaults = {p["name"]: p.get("default") for p in data.get("parameters", [])}
    stages = []
    for item in data.get("stages", []):
        (key, body), = item.items() if len(item) == 1 else ((None, item),)
        loop = re.fullmatch(r"\$\{\{\s*each (\w+) in parameters\.(\w+)\s*\}\}", key or "")
        if not loop:
            stages.append(item)
            continue
        for value in defaults[loop.group(2)]:
            text = json.dumps(body)
            for field, field_value in value.items():
                text = re.sub(r"\$\{\{\s*" + loop.group(1) + r"\." + field + r"\s*\}\}",
                              str(field_value), text)
            stages.extend(json.loads(text))
    return {**data, "stages": stages}


def _variables(data: dict) -> dict[str, str]:
    return {v["name"]: str(v["value"]) for v in data.get("variables", [])}


def _resolve(text: str, variables: dict[str, str]) -> str:
    """`text` with $(NAME) and ${{ variables.NAME }} of the pipeline's own variables filled in."""
    return _MACRO.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), text)


def _steps(stage: dict):
    for job in stage["jobs"]:
        if "steps" in job:
            yield from job["steps"]
        else:  # a deployment job
            yield from job["strategy"]["runOnce"]["deploy"]["steps"]


def _tasks(stage: dict, task: str) -> list[dict]:
    return [step for step in _steps(stage) if step.get("task") == task]


def _commands(stage: dict, variables: dict[str, str]) -> list[list[str]]:
    """Every command line that a script or AzureCLI@2 step of `stage` runs, resolved and split."""
    scripts = [step["script"] for step in _steps(stage) if "script" in step]
    scripts += [step["inputs"]["inlineScript"] for step in _tasks(stage, "AzureCLI@2")]
    lines = []
    for script in scripts:
        for line in _resolve(script, variables).replace("\\\n", " ").splitlines():
            if line.strip() and not line.strip().startswith("#"):
                lines.append(shlex.split(line))
    return lines


def _pytest_report(option: str) -> str:
    """A report path that the tox tests env's pytest writes, e.g.
    --junitxml=testing/reports/junit.xml."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO_ROOT / "tox.ini", encoding="utf-8")
    (value,) = [word.split(option, 1)[1] for word in ini["testenv:tests"]["commands"].split()
                if word.startswith(option)]
    return value


# --- the official schema ----------------------------------------------------------------------

def _task_names(schema: dict) -> dict[str, dict]:
    """{'AzureCLI@2': its entry, ...}: every task (and version) the schema names."""
    return {name: entry for entry in schema["definitions"]["task"]["properties"]["task"]["anyOf"]
            for name in entry["enum"]}


def _break_task_name(data: dict) -> None:
    step = _first(data, lambda d: "task" in d)
    step["task"] = step["task"].replace("@", "x@")


def _break_step_key(data: dict) -> None:
    _first(data, lambda d: "task" in d)["continueOnErrors"] = True


def _break_input_value(data: dict) -> None:
    _first(data, lambda d: d.get("task") == "AzureCLI@2")["inputs"]["scriptType"] = "cmd.exe"


def _break_stage(data: dict) -> None:
    stage = _first(data, lambda d: "jobs" in d)
    stage["job"] = stage.pop("jobs")


BREAKAGES = {"misspelt task": _break_task_name, "unknown step key": _break_step_key,
             "bad input value": _break_input_value, "stage without jobs": _break_stage}


def _first(data, wanted):
    if isinstance(data, dict):
        if wanted(data):
            return data
        children = data.values()
    else:
        children = data if isinstance(data, list) else []
    for child in children:
        found = _first(child, wanted)
        if found is not None:
            return found
    return None


def _check_jsonschema(schema_args: list[str], files: list[Path]) -> set[str]:
    """The files that check-jsonschema (the installed command) finds invalid."""
    if not files:
        return set()
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", *schema_args, *CHECK_ARGS,
                             *map(str, files)], capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    assert not report["parse_errors"], report["parse_errors"]
    return {error["filename"] for error in report["errors"]}


@pytest.fixture(name="schema", scope="module")
def fixture_schema() -> dict:
    return get_builtin_schema(SCHEMA)


# Each pipeline file gets a broken copy, and each breakage is used at least once.
BROKEN_COPIES = sorted({(PIPELINE_FILES[i % len(PIPELINE_FILES)],
                         list(BREAKAGES)[i % len(BREAKAGES)])
                        for i in range(max(len(PIPELINE_FILES), len(BREAKAGES)))})


@pytest.fixture(name="validation", scope="module")
def fixture_validation(tmp_path_factory) -> dict[tuple[Path, str | None], bool]:
    """{(file, breakage or None): valid?} for every pipeline file and the broken copies, in
    one run of check-jsonschema with the builtin schema as shipped."""
    folder = tmp_path_factory.mktemp("pipelines")
    checked = {(path, None): path for path in PIPELINE_FILES}
    for number, (path, breakage) in enumerate(BROKEN_COPIES):
        broken = _load(path)
        BREAKAGES[breakage](broken)
        checked[path, breakage] = folder / f"broken_{number}_{path.name}"
        checked[path, breakage].write_text(yaml.safe_dump(broken, sort_keys=False),
                                           encoding="utf-8")
    failing = _check_jsonschema(["--builtin-schema", SCHEMA], list(checked.values()))
    return {key: str(file) not in failing for key, file in checked.items()}


# --- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_the_pipeline_validates_against_the_official_schema(validation, path):
    assert validation[path, None], f"check-jsonschema --builtin-schema {SCHEMA} rejects {path}"


@pytest.mark.parametrize("path, breakage", BROKEN_COPIES,
                         ids=[f"{p.parent.name}/{p.name}-{b}" for p, b in BROKEN_COPIES])
def test_a_broken_copy_fails_the_schema(validation, path, breakage):
    assert not validation[path, breakage]


@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_every_task_is_the_current_version(schema, path):
    known = _task_names(schema)
    for task in re.findall(r"task:\s*(\S+@\d+)", path.read_text(encoding="utf-8")):
        assert "deprecationMessage" not in known[task], f"{task} is deprecated"
        name = task.split("@")[0]
        newest = max(int(other.split("@")[1]) for other in known if other.split("@")[0] == name)
        assert task == f"{name}@{newest}", f"{task}: the current version is {name}@{newest}"


@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_the_variables_come_first_each_marked_should_or_could_change(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    top_level = [line.split(":")[0] for line in lines if re.match(r"^[a-z]", line)]
    assert top_level[:2] in (["variables", "trigger"], ["parameters", "variables"])
    start = lines.index("variables:")
    block = lines[start + 1:next(i for i in range(start + 1, len(lines))
                                 if re.match(r"^[a-z]", lines[i]))]
    names = [line for line in block if line.strip().startswith("- name:")]
    assert names
    unmarked = [line for line in names if not re.search(r"# (should|could)-change", line)]
    assert not unmarked, f"variables without a should-change/could-change mark: {unmarked}"
    assert _variables(_load(path))["MODEL_FOLDER"] == path.parent.name


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_triggers_on_the_model_the_shared_code_and_their_tests(folder):
    data = _load(folder / CI_FILE)
    for trigger in (data["trigger"], data["pr"]):
        paths = trigger["paths"]["include"]
        for wanted in (f"{folder.name}/*", "shared_code/*", f"testing/{folder.name}/*",
                       "testing/shared_code/*"):
            assert wanted in paths


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_tests_with_tox_and_publishes_junit_and_cobertura(folder, project_python):
    data = _load(folder / CI_FILE)
    variables = _variables(data)
    test_stage = data["stages"][0]
    (python,) = _tasks(test_stage, "UsePythonVersion@0")
    assert _resolve(python["inputs"]["versionSpec"], variables) == project_python
    assert ["tox", "-e", "tests", "--", f"testing/{folder.name}", "testing/shared_code"] in \
        _commands(test_stage, variables)
    (junit,) = _tasks(test_stage, "PublishTestResults@2")
    assert junit["inputs"]["testResultsFormat"] == "JUnit"
    assert junit["inputs"]["testResultsFiles"] == _pytest_report("--junitxml=")
    (coverage,) = [step for step in _steps(test_stage)
                   if COVERAGE_COMMAND in step.get("script", "")]
    tool, summary_file = re.search(r"codecoveragetool=(\w+);summaryfile=([^\]]+)\]",
                                   coverage["script"]).groups()
    assert tool == "Cobertura"
    report = _pytest_report("--cov-report=xml:")
    assert summary_file == f"$(System.DefaultWorkingDirectory)/{report}"
    assert junit["condition"] == coverage["condition"] == "succeededOrFailed()"


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_runs_the_azure_ml_pipeline_then_publishes_the_registered_model(folder):
    data = _load(folder / CI_FILE)
    variables = _variables(data)
    test_stage, aml_stage = data["stages"]
    assert aml_stage["dependsOn"] == test_stage["stage"]
    for step in _tasks(aml_stage, "AzureCLI@2"):
        assert _resolve(step["inputs"]["azureSubscription"], variables) == \
            variables["AZURE_SERVICE_CONNECTION"]
    commands = _commands(aml_stage, variables)
    (pipeline,) = [c for c in commands if c[:3] == ["python", "-m", f"{folder.name}.aml_pipeline"]]
    assert {"--submit", "--publish"} & set(pipeline[3:])
    (artifact,) = [c for c in commands if c[3:4] == ["release-artifact"]]
    build_parser().parse_args(artifact[3:])
    assert artifact[4] == folder.name
    published = {step["inputs"]["artifact"]: step["inputs"]["targetPath"]
                 for step in _tasks(aml_stage, "PublishPipelineArtifact@1")}
    assert _resolve(published["registered_model"], variables) == \
        _resolve(artifact[artifact.index("--output") + 1], variables)
    (collect,) = _tasks(aml_stage, "CopyFiles@2")
    assert _resolve(collect["inputs"]["TargetFolder"], variables) == \
        _resolve(published["deployment_source"], variables)
    # What `deploy` reads: the model folder, shared_code, the smoke test's samples, the pins.
    contents = _resolve(collect["inputs"]["Contents"], variables).split()
    for wanted in (f"{folder.name}/**", "shared_code/**",
                   f"testing/testing_samples/{folder.name}/**", "virtualenvs/requirements.txt"):
        assert wanted in contents


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_aml_pipeline_options_the_ci_uses_exist(folder):
    variables = _variables(_load(folder / CI_FILE))
    usage = subprocess.run([sys.executable, "-m", f"{folder.name}.aml_pipeline", "--help"],
                           cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    for option in variables["AML_PIPELINE_ARGUMENTS"].split() + ["--publish"]:
        assert option in usage


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_release_deploys_the_ci_artifact_to_dev_then_prd(folder):
    data = _load(folder / RELEASE_FILE)
    variables = _variables(data)
    (ci,) = data["resources"]["pipelines"]
    assert data["trigger"] == "none" and ci["trigger"]
    release = _expand_each(data)
    assert [stage["stage"] for stage in release["stages"]] == ["dev", "prd"]
    for stage in release["stages"]:
        (job,) = stage["jobs"]
        assert job["environment"] and job["deployment"]
        downloads = {step["artifact"] for step in _steps(stage)
                     if step.get("download") == ci["pipeline"]}
        assert downloads == {"registered_model", "deployment_source"}
        (deploy,) = [c for c in _commands(stage, variables) if c[3:4] == ["deploy"]]
        assert deploy[:6] == ["python", "-m", "shared_code.amltoolbox", "deploy", folder.name,
                              "--env"]
        args = build_parser().parse_args(deploy[3:])
        assert args.env == stage["stage"]
        assert args.artifact.name == "registered_model.json"
        assert f"/{ci['pipeline']}/registered_model/" in str(args.artifact)


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_release_procedure_runs_the_commands_and_variables_of_the_yaml_release(folder):
    text = (folder / "documentation" / "release_procedure.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    commands = [shlex.split(line) for block in blocks
                for line in _resolve(block, {"MODEL_FOLDER": folder.name})
                .replace("\\\n", " ").splitlines()
                if line.strip().startswith("python -m shared_code.amltoolbox")]
    assert {args[3] for args in commands} == {"deploy"} and len(commands) >= 2
    for args in commands:
        parsed = build_parser().parse_args(args[3:])
        assert (parsed.model, parsed.env) == (folder.name, "dev")
    release_variables = _variables(_load(folder / RELEASE_FILE))
    for name in release_variables:
        if name.startswith("AZUREML_") or name in ("MODEL_FOLDER", "PYTHON_VERSION"):
            assert f"| `{name}` |" in text, f"the procedure does not set {name}"


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_publishes_the_page_of_a_local_run_of_the_model(folder):
    data = _load(folder / CI_FILE)
    variables = _variables(data)
    test_stage = data["stages"][0]
    commands = _commands(test_stage, variables)
    in_tests_env = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]
    pipeline = commands.index([*in_tests_env, "run", folder.name])
    (show,) = [c for c in commands if c[:len(in_tests_env)] == in_tests_env and "show" in c]
    assert commands.index(show) > pipeline
    args = build_parser().parse_args(show[len(in_tests_env):])
    assert (args.action, args.run_id) == ("show", "latest") and args.html.suffix == ".html"
    published = {step["inputs"]["artifact"]: step["inputs"]["targetPath"]
                 for step in _tasks(test_stage, "PublishPipelineArtifact@1")}
    assert _resolve(published["local_run"], variables) == args.html.parent.as_posix()
