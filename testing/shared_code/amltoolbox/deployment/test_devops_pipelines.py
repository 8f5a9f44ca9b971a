"""Every model's Azure DevOps CI (devops_pipeline.yml) and CD (release_pipeline.yml), expanded
with the shared templates of shared_code/devops as Azure DevOps expands them, then checked
offline against the official Azure Pipelines schema that check-jsonschema ships, and against
what they must do for this project. New model folders are covered by themselves."""
import configparser
import copy
import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from azure_pipelines_templates import expand_pipeline
from check_jsonschema.builtin_schemas import get_builtin_schema

from reference_models import reference_models
from tested_models import model_folders_under_test
from shared_code.amltoolbox.azure.workspace import WORKSPACE_VARS
from shared_code.amltoolbox.cli.main import build_parser
from shared_code.amltoolbox.deployment.azure_service import service_name
from shared_code.devops.release_procedure import PROCEDURE as PROCEDURE_PATH
from shared_code.devops.release_procedure import names_rows
from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.smoke_test import samples_dir
from shared_code.devops.import_graph import ImportGraph
from shared_code.devops.trigger_paths import (SHARED_CI_FILE, shared_trigger_paths,
                                              trigger_paths, without_trigger_paths)

MODELS = model_folders_under_test()
MODEL_IDS = [folder.name for folder in MODELS]
CI_FILE, RELEASE_FILE = "devops_pipeline.yml", "release_pipeline.yml"
PIPELINE_FILES = [folder / name for folder in MODELS for name in (CI_FILE, RELEASE_FILE)]
PIPELINE_IDS = [f"{path.parent.name}/{path.name}" for path in PIPELINE_FILES]
DEVOPS = REPO_ROOT / "shared_code" / "devops"
TEMPLATES = {CI_FILE: "ci_template.yml", RELEASE_FILE: "release_template.yml"}
WORKSPACE_TEMPLATE, CONNECTION = "workspace_variables.yml", "AML_SERVICE_CONNECTION"
PROCEDURE = REPO_ROOT / PROCEDURE_PATH
SHARED_PIPELINE = REPO_ROOT / SHARED_CI_FILE
TOP_LEVEL = {CI_FILE: ["trigger", "pr", "stages"],
             RELEASE_FILE: ["trigger", "pr", "resources", "stages"]}
MAX_MODEL_LINES = 40
SCHEMA = "vendor.azure-pipelines"
COVERAGE_COMMAND = "##vso[codecoverage.publish"
CHECK_ARGS = ["--data-transform", "azure-pipelines", "--regex-variant", "nonunicode",
              "--output-format", "json"]
MARK = re.compile(r"# (should|could)-change")


# --- reading a pipeline file as Azure DevOps would --------------------------------------------

def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def _expanded_file(path: Path) -> str:
    return json.dumps(expand_pipeline(path))


def _expanded(path: Path) -> dict:
    """The pipeline as Azure DevOps runs it: its templates expanded (a fresh copy each time)."""
    return json.loads(_expanded_file(path))


def _workspace_variables() -> dict:
    """The workspace variables written once for every model's CI and CD."""
    return _load(DEVOPS / WORKSPACE_TEMPLATE)["variables"]


def _variables(stage: dict) -> dict:
    """{name: value} of a stage's variables as expanded (a list of name and value)."""
    return {item["name"]: item["value"] for item in stage["variables"]}


def _passed(path: Path) -> dict:
    """The parameters that a model's yaml passes to its shared template."""
    (reference,) = _load(path)["stages"]
    return reference["parameters"]


def _steps(stage: dict):
    for job in stage["jobs"]:
        if "steps" in job:
            yield from job["steps"]
        else:  # a deployment job
            yield from job["strategy"]["runOnce"]["deploy"]["steps"]


def _tasks(stage: dict, task: str) -> list[dict]:
    return [step for step in _steps(stage) if step.get("task") == task]


def _commands(stage: dict) -> list[list[str]]:
    """Every command line that a script, bash or AzureCLI@2 step of `stage` runs, split."""
    scripts = [step.get("script") or step["bash"] for step in _steps(stage)
               if "script" in step or "bash" in step]
    scripts += [step["inputs"]["inlineScript"] for step in _tasks(stage, "AzureCLI@2")]
    return [shlex.split(line) for script in scripts
            for line in script.replace("\\\n", " ").splitlines()
            if line.strip() and not line.strip().startswith("#")]


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


# The schema check is shown to catch each breakage on the reference models' files (every
# model's files are checked whole above; a broken copy of each of a hundred would check the
# checker a hundred times): each of their files gets a broken copy, each breakage is used.
_BREAKABLE = [path for path in PIPELINE_FILES if path.parent.name in reference_models()] or \
    PIPELINE_FILES
BROKEN_COPIES = sorted({(_BREAKABLE[i % len(_BREAKABLE)], list(BREAKAGES)[i % len(BREAKAGES)])
                        for i in range(max(len(_BREAKABLE), len(BREAKAGES)))})
# Steps a model adds through the templates' step-list parameters, and where they must run.
EXTRA_STEPS = {CI_FILE: {"testSteps": "echo after the tests",
                         "pipelineSteps": "echo after the Azure ML pipeline"},
               RELEASE_FILE: {"deploySteps": "echo after the smoke test"}}


@pytest.fixture(name="extended", scope="module")
def fixture_extended(tmp_path_factory) -> dict[str, Path]:
    """model_a's CI and release, each passing one step in every step-list parameter of its
    template, in a copy of the repository's templates."""
    root = tmp_path_factory.mktemp("extended")
    shutil.copytree(DEVOPS, root / "shared_code" / "devops")
    (root / "model_x").mkdir()
    extended = {}
    for name, steps in EXTRA_STEPS.items():
        lines = [(REPO_ROOT / "model_a" / name).read_text(encoding="utf-8")]
        for parameter, script in steps.items():
            lines += [f"      {parameter}:\n", f"        - script: {script}\n"]
        extended[name] = root / "model_x" / name
        extended[name].write_text("".join(lines), encoding="utf-8")
        # The same pipeline for Azure ML SDK v2, as a model chooses it.
        extended[f"v2/{name}"] = root / "model_x" / f"v2_{name}"
        extended[f"v2/{name}"].write_text(
            (REPO_ROOT / "model_a" / name).read_text(encoding="utf-8") + "      amlSdk: v2\n",
            encoding="utf-8")
    return extended


def _named_paths(request) -> set[Path]:
    """The pipeline files that this session's tests of the requesting module are run on: all
    of them in a full run; a model's own run (`-k model`) names its own."""
    return {item.callspec.params["path"] for item in request.session.items
            if getattr(item, "module", None) is request.module
            and "path" in getattr(getattr(item, "callspec", None), "params", {})}


@pytest.fixture(name="validation", scope="module")
def fixture_validation(request, tmp_path_factory, extended) -> dict[tuple[Path, str | None],
                                                                    bool]:
    """{(file, breakage or None): valid?} for each pipeline file the session's tests name (and
    model_a's extended with extra steps, and the shared code's) with its templates expanded,
    and their broken copies, in one run of check-jsonschema with the builtin schema as
    shipped: with a hundred models, checking every file took 40 s whatever was selected."""
    folder = tmp_path_factory.mktemp("pipelines")
    named = _named_paths(request)
    sources = {(path, None): _expanded(path)
               for path in [*(p for p in PIPELINE_FILES if p in named), *extended.values(),
                            SHARED_PIPELINE]}
    for path, breakage in BROKEN_COPIES:
        if path not in named:
            continue
        sources[path, breakage] = copy.deepcopy(sources[path, None])
        BREAKAGES[breakage](sources[path, breakage])
    checked = {}
    for number, (key, data) in enumerate(sources.items()):
        checked[key] = folder / f"expanded_{number}_{key[0].name}"
        checked[key].write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    failing = _check_jsonschema(["--builtin-schema", SCHEMA], list(checked.values()))
    return {key: str(file) not in failing for key, file in checked.items()}


# --- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_the_pipeline_with_its_templates_validates_against_the_official_schema(validation, path):
    assert validation[path, None], f"check-jsonschema --builtin-schema {SCHEMA} rejects {path}"


@pytest.mark.parametrize("path, breakage", BROKEN_COPIES,
                         ids=[f"{p.parent.name}/{p.name}-{b}" for p, b in BROKEN_COPIES])
def test_a_broken_copy_fails_the_schema(validation, path, breakage):
    assert not validation[path, breakage]


@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_every_task_is_the_current_version(schema, path):
    known = _task_names(schema)
    tasks = re.findall(r'"task": "(\S+@\d+)"', _expanded_file(path))
    assert tasks
    for task in tasks:
        assert "deprecationMessage" not in known[task], f"{task} is deprecated"
        name = task.split("@")[0]
        newest = max(int(other.split("@")[1]) for other in known if other.split("@")[0] == name)
        assert task == f"{name}@{newest}", f"{task}: the current version is {name}@{newest}"


@pytest.mark.parametrize("path", PIPELINE_FILES, ids=PIPELINE_IDS)
def test_the_models_yaml_holds_its_names_each_marked_should_or_could_change(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    # The trigger paths are the model's own and cannot be in a template (Azure Pipelines reads
    # triggers from the pipeline's own file only): the lines around them are counted.
    written = without_trigger_paths(path.read_text(encoding="utf-8")).splitlines()
    assert len(written) <= MAX_MODEL_LINES, "what every model runs belongs in the shared template"
    assert list(_load(path)) == TOP_LEVEL[path.name]
    (reference,) = _load(path)["stages"]
    assert reference["template"] == f"../shared_code/devops/{TEMPLATES[path.name]}"
    start = lines.index("    parameters:")
    settings = [line for line in lines[start + 1:]
                if re.match(r"\s+[A-Za-z]+: \S", line) and not line.strip().startswith("- name:")]
    assert settings
    unmarked = [line for line in settings if not MARK.search(line)]
    assert not unmarked, f"settings without a should-change/could-change mark: {unmarked}"
    assert _passed(path)["modelFolder"] == path.parent.name
    assert not set(_passed(path)) & {"serviceConnection", "subscriptionId", "resourceGroup",
                                     "workspaceName"}, "the workspace is set once, in " \
        f"shared_code/devops/{WORKSPACE_TEMPLATE}"


def test_the_workspace_is_set_once_for_every_model_each_value_marked_should_change():
    lines = (DEVOPS / WORKSPACE_TEMPLATE).read_text(encoding="utf-8").splitlines()
    assert list(_load(DEVOPS / WORKSPACE_TEMPLATE)) == ["variables"]
    for name in (*WORKSPACE_VARS, CONNECTION):
        (number,) = [i for i, line in enumerate(lines) if line.strip().startswith(f"{name}:")]
        assert "should-change" in lines[number] + lines[number - 1], name


@pytest.fixture(name="graph", scope="module")
def fixture_graph() -> ImportGraph:
    return ImportGraph.build(REPO_ROOT)


def _covered(path: str, paths: list[str]) -> bool:
    """Whether a change to `path` matches one of the trigger `paths` (a file or a folder)."""
    return any(path == p or path.startswith(p + "/") for p in paths)


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_triggers_on_the_model_its_tests_and_what_they_import(folder, graph):
    data = _load(folder / CI_FILE)
    wanted = trigger_paths(graph, folder.name)
    assert wanted[:2] == [folder.name, f"testing/{folder.name}"]
    for needed in ("shared_code/amltoolbox/local/runner.py", "testing/conftest.py", "tox.ini",
                   "shared_code/amltoolbox/local/step_launcher.py",  # started by its path
                   "shared_code/aml_emulator/job_launcher.py", "virtualenvs/requirements.txt",
                   "shared_code/devops/ci_template.yml", "testing/model_kit/test_register.py",
                   "testing/tested_models.py"):
        assert _covered(needed, wanted), needed
    assert not _covered("testing/shared_code/amltoolbox/test_errors.py", wanted)
    for trigger in (data["trigger"], data["pr"]):
        assert trigger["paths"]["include"] == wanted, (
            "run `python -m shared_code.devops.trigger_paths --write`")


def test_the_shared_codes_ci_triggers_on_what_its_tests_import(graph):
    data = _load(SHARED_PIPELINE)
    wanted = shared_trigger_paths(graph)
    for needed in ("shared_code/amltoolbox/local/runner.py", "shared_code/aml_studio/app.py",
                   "model_a/model.py", "testing/conftest.py",
                   "shared_code/devops/shared_code_pipeline.yml"):
        assert _covered(needed, wanted), needed
    assert not _covered("testing/model_a/test_model.py", wanted)
    for trigger in (data["trigger"], data["pr"]):
        assert trigger["paths"]["include"] == wanted, (
            "run `python -m shared_code.devops.trigger_paths --write`")


def test_the_shared_codes_ci_tests_it_once_and_the_models_ci_does_not(validation):
    assert validation[SHARED_PIPELINE, None], f"check-jsonschema rejects {SHARED_PIPELINE}"
    (stage,) = _expanded(SHARED_PIPELINE)["stages"]
    commands = _commands(stage)
    assert ["tox", "-e", "tests", "--", "testing/shared_code", "testing/test_*.py"] in commands
    assert ["tox", "-e", "v2"] in commands
    (junit,) = _tasks(stage, "PublishTestResults@2")
    assert junit["inputs"]["testResultsFiles"] == _pytest_report("--junitxml=")
    for folder in MODELS:
        test_stage = _expanded(folder / CI_FILE)["stages"][0]
        assert not any("testing/shared_code" in command for command in _commands(test_stage))


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_tests_with_tox_and_publishes_junit_and_cobertura(folder, project_python):
    test_stage = _expanded(folder / CI_FILE)["stages"][0]
    (python,) = _tasks(test_stage, "UsePythonVersion@0")
    assert python["inputs"]["versionSpec"] == project_python
    assert ["tox", "-e", "tests", "--", f"testing/{folder.name}", "testing/model_kit"
            ] in _commands(test_stage)
    # The model kit's checks of this model only.
    (tox,) = [step for step in _steps(test_stage)
              if step.get("bash", "").startswith("tox -e tests")]
    assert tox["env"] == {"TESTED_MODELS": folder.name}
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
    shared = _workspace_variables()
    test_stage, aml_stage = _expanded(folder / CI_FILE)["stages"]
    assert aml_stage["dependsOn"] == test_stage["stage"]
    # The SDK finds the workspace in these environment variables (azure/workspace.py), set
    # once for every model in the shared variables template.
    assert _variables(aml_stage) == shared and set(WORKSPACE_VARS) < set(shared)
    for step in _tasks(aml_stage, "AzureCLI@2"):
        assert step["inputs"]["azureSubscription"] == shared[CONNECTION]
    commands = _commands(aml_stage)
    (pipeline,) = [c for c in commands if c[:3] == ["python", "-m", f"{folder.name}.aml_pipeline"]]
    assert {"--submit", "--publish"} & set(pipeline[3:])
    (artifact,) = [c for c in commands if c[3:4] == ["release-artifact"]]
    build_parser().parse_args(artifact[3:])
    assert artifact[4] == folder.name
    published = {step["inputs"]["artifact"]: step["inputs"]["targetPath"]
                 for step in _tasks(aml_stage, "PublishPipelineArtifact@1")}
    assert published["registered_model"] == artifact[artifact.index("--output") + 1]
    (collect,) = _tasks(aml_stage, "CopyFiles@2")
    assert collect["inputs"]["TargetFolder"] == published["deployment_source"]
    # What `deploy` reads: the model folder, shared_code, the smoke test's samples, the pins.
    contents = collect["inputs"]["Contents"].split()
    samples = samples_dir(folder.name).relative_to(REPO_ROOT).as_posix()
    for wanted in (f"{folder.name}/**", "shared_code/**", f"{samples}/**",
                   "virtualenvs/requirements.txt"):
        assert wanted in contents


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_aml_pipeline_options_the_ci_uses_exist(folder):
    aml_stage = _expanded(folder / CI_FILE)["stages"][1]
    (pipeline,) = [c for c in _commands(aml_stage) if c[2:3] == [f"{folder.name}.aml_pipeline"]]
    usage = subprocess.run([sys.executable, "-m", f"{folder.name}.aml_pipeline", "--help"],
                           cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    for option in pipeline[3:] + ["--publish"]:
        assert option in usage


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_release_deploys_the_ci_artifact_to_dev_then_prd(folder):
    data = _load(folder / RELEASE_FILE)
    passed = _passed(folder / RELEASE_FILE)
    (ci,) = data["resources"]["pipelines"]
    assert data["trigger"] == "none" and ci["trigger"]
    release = _expanded(folder / RELEASE_FILE)
    assert [stage["stage"] for stage in release["stages"]] == ["dev", "prd"]
    for stage, target in zip(release["stages"], passed["environments"]):
        (job,) = stage["jobs"]
        assert job["deployment"] and job["environment"] == target["environment"]
        assert _variables(stage) == _workspace_variables()
        for step in _tasks(stage, "AzureCLI@2"):
            assert step["inputs"]["azureSubscription"] == _workspace_variables()[CONNECTION]
        downloads = {step["artifact"] for step in _steps(stage)
                     if step.get("download") == ci["pipeline"]}
        assert downloads == {"registered_model", "deployment_source"}
        (deploy,) = [c for c in _commands(stage) if c[3:4] == ["deploy"]]
        assert deploy[:6] == ["python", "-m", "shared_code.amltoolbox", "deploy", folder.name,
                              "--env"]
        args = build_parser().parse_args(deploy[3:])
        assert args.env == stage["stage"]
        assert args.artifact.name == "registered_model.json"
        assert f"/{ci['pipeline']}/registered_model/" in str(args.artifact)


@pytest.mark.parametrize("name", EXTRA_STEPS)
def test_a_model_on_sdk_v2_tests_installs_runs_and_deploys_with_v2(validation, extended, name):
    v2 = extended[f"v2/{name}"]
    assert validation[v2, None]
    stages = _expanded(v2)["stages"]
    commands = [command for stage in stages for command in _commands(stage)]
    installs = [c for c in commands if c[:4] == ["python", "-m", "pip", "install"]]
    assert ["-r", "virtualenvs/requirements-v2.txt"] in [c[4:] for c in installs]
    azure = [c for c in commands if c[:3] != ["python", "-m", "pip"] and "--sdk" in c]
    assert azure and all(c[c.index("--sdk") + 1] == "v2" for c in azure)
    for command in azure:
        if command[2] == "shared_code.amltoolbox":  # the toolbox's commands take --sdk v2
            assert build_parser().parse_args(command[3:]).sdk == "v2"
    if name == CI_FILE:
        assert ["tox", "-e", "v2"] in _commands(stages[0])
    v1 = [c for stage in _expanded(REPO_ROOT / "model_a" / name)["stages"]
          for c in _commands(stage) if "--sdk" in c]
    assert v1 and all(c[c.index("--sdk") + 1] == "v1" for c in v1)


@pytest.mark.parametrize("name", EXTRA_STEPS)
def test_a_models_extra_steps_run_where_the_template_says(validation, extended, name):
    assert validation[extended[name], None]
    stages = _expanded(extended[name])["stages"]
    scripts = [[step.get("script") or step.get("bash") or step.get("task") or step.get("download")
                for step in _steps(stage)] for stage in stages]
    if name == CI_FILE:
        tests, pipeline = scripts
        after_tests = tests.index(EXTRA_STEPS[name]["testSteps"])
        assert tests[after_tests - 1].startswith("tox -e tests")
        assert tests[after_tests + 1] == "PublishTestResults@2"
        after_pipeline = pipeline.index(EXTRA_STEPS[name]["pipelineSteps"])
        assert pipeline[after_pipeline - 1:after_pipeline + 2:2] == [
            "AzureCLI@2", "PublishPipelineArtifact@1"]
    else:
        for steps in scripts:
            assert steps[-2:] == ["AzureCLI@2", EXTRA_STEPS[name]["deploySteps"]]


# --- the release procedure, written once for every model ----------------------------------------

def _procedure() -> str:
    return PROCEDURE.read_text(encoding="utf-8")


def _names_table() -> dict[str, list[list[str]]]:
    """{model folder: [the names in each cell but the first]} from the table of names."""
    return {folder: [re.findall(r"`([^`]+)`", cell) for cell in row.split("|")[2:-1]]
            for folder, row in names_rows(_procedure()).items()}


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_procedure_names_each_models_pipelines_environments_and_services(folder):
    ci_pipeline, release_pipeline, environments, services = _names_table()[folder.name]
    (ci,) = _load(folder / RELEASE_FILE)["resources"]["pipelines"]
    assert ci_pipeline == [ci["source"]]
    assert release_pipeline == [ci["source"].removesuffix("-ci") + "-release"]
    passed = _passed(folder / RELEASE_FILE)["environments"]
    assert environments == [target["environment"] for target in passed]
    model_name = load_model_config(folder).model_name
    assert services == [service_name(model_name, target["name"]) for target in passed]


def test_the_procedures_table_names_only_models_that_exist():
    assert sorted(_names_table()) == [folder.name for folder in model_folders()]


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_procedure_runs_the_command_and_sets_the_variables_of_the_yaml_release(folder):
    text = _procedure()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    commands = [shlex.split(line) for block in blocks
                for line in block.replace("$(MODEL_FOLDER)", folder.name)
                .replace("\\\n", " ").splitlines()
                if line.strip().startswith("python -m shared_code.amltoolbox")]
    assert {args[3] for args in commands} == {"deploy"}
    for args in commands:
        parsed = build_parser().parse_args(args[3:])
        assert (parsed.model, parsed.env) == (folder.name, "dev")
    # The service connection is chosen in the Azure CLI task itself, not set as a variable.
    release_variables = set(_variables(_expanded(folder / RELEASE_FILE)["stages"][0]))
    for name in [*sorted(release_variables - {CONNECTION}), "MODEL_FOLDER", "PYTHON_VERSION"]:
        assert f"| `{name}` |" in text, f"the procedure does not set {name}"


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_models_documentation_links_the_procedure(folder):
    document = folder / "documentation" / f"{folder.name}.md"
    links = re.findall(r"\]\(([^)#]*release_procedure\.md)", document.read_text(encoding="utf-8"))
    assert links and all((document.parent / link).resolve() == PROCEDURE for link in links)
    assert not (folder / "documentation" / "release_procedure.md").exists()


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_publishes_the_page_of_a_local_run_of_the_model(folder):
    test_stage = _expanded(folder / CI_FILE)["stages"][0]
    commands = _commands(test_stage)
    in_tests_env = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]
    pipeline = commands.index([*in_tests_env, "run", folder.name])
    (show,) = [c for c in commands if c[:len(in_tests_env)] == in_tests_env and "show" in c]
    assert commands.index(show) > pipeline
    args = build_parser().parse_args(show[len(in_tests_env):])
    assert (args.action, args.run_id) == ("show", "latest") and args.html.suffix == ".html"
    published = {step["inputs"]["artifact"]: step["inputs"]["targetPath"]
                 for step in _tasks(test_stage, "PublishPipelineArtifact@1")}
    assert published["local_run"] == args.html.parent.as_posix()


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_runs_the_pipeline_under_the_azure_ml_emulator_before_the_cluster(folder):
    """Issue 10: what would fail in Azure ML fails on the agent first (with SDK v1)."""
    stages = _expanded(folder / CI_FILE)["stages"]
    in_tests_env = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]
    (emulated,) = [c for c in _commands(stages[0]) if "--emulate-azureml" in c]
    assert emulated[:len(in_tests_env)] == in_tests_env
    args = build_parser().parse_args(emulated[len(in_tests_env):])
    assert (args.model, args.emulate_azureml) == (folder.name, True)
    assert stages[1]["dependsOn"] == stages[0]["stage"]  # the cluster comes after


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_ci_publishes_the_model_card_of_the_version_its_local_run_registered(folder):
    """Issue 22: the card of a newly registered version is a build artifact."""
    test_stage = _expanded(folder / CI_FILE)["stages"][0]
    commands = _commands(test_stage)
    in_tests_env = ["tox", "exec", "-e", "tests", "--", "python", "-m", "shared_code.amltoolbox"]
    pipeline = commands.index([*in_tests_env, "run", folder.name])
    (card,) = [c for c in commands if c[len(in_tests_env):len(in_tests_env) + 2]
               == ["models", "card"]]
    assert commands.index(card) > pipeline
    args = build_parser().parse_args(card[len(in_tests_env):])
    assert args.model == folder.name and args.html.endswith(".html")
    published = {step["inputs"]["artifact"]: step["inputs"]["targetPath"]
                 for step in _tasks(test_stage, "PublishPipelineArtifact@1")}
    assert published["model_card"] == Path(args.html).parent.as_posix()
