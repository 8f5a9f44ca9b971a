"""The Azure Pipelines template expander: what it expands, as Azure DevOps does, and what it
refuses rather than guess."""
import textwrap

import pytest

from azure_pipelines_templates import TemplateError, expand_pipeline


@pytest.fixture(name="files")
def fixture_files(tmp_path):
    """Write {relative path: yaml} under a temporary folder; the first file is the pipeline."""
    def write(contents: dict[str, str]):
        for name, text in contents.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path / next(iter(contents))
    return write


STAGE_TEMPLATE = """
    parameters:
      - name: model
        type: string
      - name: python
        type: string
        default: "3.11"
      - name: timeout
        type: number
        default: 180
      - name: publish
        type: boolean
        default: true
    stages:
      - stage: test
        jobs:
          - job: tox
            timeoutInMinutes: ${{ parameters.timeout }}
            steps:
              - template: steps/python.yml
                parameters:
                  version: ${{ parameters.python }}
              - script: tox -e tests -- testing/${{ parameters.model }}
                displayName: ${{ parameters.model }} on ${{ parameters.python }}, ${{ parameters.publish }}
"""
STEP_TEMPLATE = """
    parameters:
      - name: version
        type: string
    steps:
      - task: UsePythonVersion@0
        inputs:
          versionSpec: ${{ parameters.version }}
"""


def test_a_stage_template_and_its_step_template_are_expanded_with_their_parameters(files):
    pipeline = files({"model/ci.yml": """
        trigger: none
        stages:
          - template: ../shared/ci.yml
            parameters:
              model: model_a
        """, "shared/ci.yml": STAGE_TEMPLATE, "shared/steps/python.yml": STEP_TEMPLATE})
    (stage,) = expand_pipeline(pipeline)["stages"]
    (job,) = stage["jobs"]
    assert job["timeoutInMinutes"] == "180"
    assert job["steps"] == [
        {"task": "UsePythonVersion@0", "inputs": {"versionSpec": "3.11"}},
        {"script": "tox -e tests -- testing/model_a",
         "displayName": "model_a on 3.11, True"}]


def test_a_job_template_and_the_root_files_own_parameters(files):
    pipeline = files({"ci.yml": """
        parameters:
          - name: image
            type: string
            default: ubuntu-latest
        jobs:
          - template: jobs/build.yml
            parameters:
              image: ${{ parameters.image }}
        """, "jobs/build.yml": """
        parameters:
          - name: image
            type: string
            values: [ubuntu-latest, windows-latest]
        jobs:
          - job: build
            pool:
              vmImage: ${{ parameters.image }}
            steps:
              - script: make
        """})
    assert expand_pipeline(pipeline)["jobs"] == [
        {"job": "build", "pool": {"vmImage": "ubuntu-latest"}, "steps": [{"script": "make"}]}]


def test_a_boolean_or_number_passed_on_to_another_template_keeps_its_type(files):
    pipeline = files({"ci.yml": """
        jobs:
          - template: job.yml
            parameters:
              report: false
              retries: 2
        """, "job.yml": """
        parameters:
          - {name: report, type: boolean, default: true}
          - {name: retries, type: number, default: 1}
        jobs:
          - job: build
            steps:
              - template: steps.yml
                parameters:
                  report: ${{ parameters.report }}
                  retries: ${{ parameters.retries }}
        """, "steps.yml": """
        parameters:
          - {name: report, type: boolean}
          - {name: retries, type: number}
        steps:
          - script: build
            retryCountOnTaskFailure: ${{ parameters.retries }}
          - ${{ if parameters.report }}:
              - script: report
        """})
    (job,) = expand_pipeline(pipeline)["jobs"]
    assert job["steps"] == [{"script": "build", "retryCountOnTaskFailure": "2"}]


def test_a_step_list_is_inserted_flat_and_an_empty_one_leaves_nothing(files):
    pipeline = files({"ci.yml": """
        steps:
          - template: steps.yml
            parameters:
              after:
                - script: echo one
                - script: echo two
          - template: steps.yml
        """, "steps.yml": """
        parameters:
          - name: after
            type: stepList
            default: []
        steps:
          - script: build
          - ${{ parameters.after }}
        """})
    assert expand_pipeline(pipeline)["steps"] == [
        {"script": "build"}, {"script": "echo one"}, {"script": "echo two"}, {"script": "build"}]


def test_each_repeats_its_body_for_every_item_or_pair(files):
    pipeline = files({"ci.yml": """
        parameters:
          - name: targets
            type: object
            default:
              - name: dev
                environment: model-dev
              - name: prd
                environment: model-prd
          - name: settings
            type: object
            default: {A: "1", B: "2"}
        stages:
          - ${{ each target in parameters.targets }}:
              - stage: ${{ target.name }}
                variables:
                  ${{ each pair in parameters.settings }}:
                    ${{ if ne(pair.key, 'B') }}:
                      A_SETTING: ${{ pair.value }}
                jobs:
                  - deployment: deploy
                    environment: ${{ target['environment'] }}
        """})
    assert expand_pipeline(pipeline)["stages"] == [
        {"stage": stage, "variables": {"A_SETTING": "1"},
         "jobs": [{"deployment": "deploy", "environment": f"model-{stage}"}]}
        for stage in ("dev", "prd")]


@pytest.mark.parametrize("condition, expected", [
    ("parameters.report", ["always", "report"]),
    ("not(parameters.report)", ["always"]),
    ("eq(parameters.sdk, 'V2')", ["always", "report"]),
    ("and(parameters.report, ne(parameters.sdk, 'v2'))", ["always"]),
    ("or(false, eq(parameters.retries, 3))", ["always", "report"]),
    ("parameters.empty", ["always"]),
    ("parameters.steps", ["always", "report"]),
])
def test_if_inserts_its_body_when_the_condition_holds(files, condition, expected):
    pipeline = files({"ci.yml": f"""
        parameters:
          - name: report
            type: boolean
            default: true
          - name: sdk
            type: string
            default: v2
          - name: retries
            type: number
            default: 3
          - name: empty
            type: string
            default: ""
          - name: steps
            type: stepList
            default: []
        steps:
          - script: always
          - ${{{{ if {condition} }}}}:
              - script: report
        """})
    assert [step["script"] for step in expand_pipeline(pipeline)["steps"]] == expected


def test_runtime_expressions_and_the_trigger_are_left_as_they_are(files):
    pipeline = files({"ci.yml": """
        trigger:
          paths:
            include: [model_a/*]
        variables:
          - name: FOLDER
            value: model_a
        steps:
          - script: echo $(FOLDER) $[ variables.FOLDER ] '${{ 'a}}b' }}'
        """})
    expanded = expand_pipeline(pipeline)
    assert expanded["trigger"] == {"paths": {"include": ["model_a/*"]}}
    assert expanded["steps"] == [{"script": "echo $(FOLDER) $[ variables.FOLDER ] 'a}}b'"}]


def test_a_variables_template_is_inlined_and_its_variables_are_known_below_it(files):
    pipeline = files({"ci.yml": """
        variables:
          TOP: top
        stages:
          - stage: deploy
            variables:
              - template: shared/workspace.yml
              - name: LOCAL
                value: ${{ variables.WORKSPACE }}-local
            jobs:
              - job: run
                steps:
                  - template: steps/sign_in.yml
                    parameters:
                      connection: ${{ variables.CONNECTION }}
                  - script: echo ${{ variables.TOP }} ${{ variables.LOCAL }}
        """, "shared/workspace.yml": """
        variables:
          CONNECTION: aml-connection
          WORKSPACE: mlw
        """, "steps/sign_in.yml": """
        parameters:
          - name: connection
            type: string
        steps:
          - script: sign in to ${{ parameters.connection }} of ${{ variables.WORKSPACE }}
        """})
    stage = expand_pipeline(pipeline)["stages"][0]
    assert stage["variables"] == [{"name": "CONNECTION", "value": "aml-connection"},
                                  {"name": "WORKSPACE", "value": "mlw"},
                                  {"name": "LOCAL", "value": "mlw-local"}]
    assert stage["jobs"][0]["steps"] == [{"script": "sign in to aml-connection of mlw"},
                                         {"script": "echo top mlw-local"}]


def _pipeline_with(step: str, parameters: str = "", template: str = STEP_TEMPLATE) -> dict:
    return {"ci.yml": f"""
        parameters:
          - name: flag
            type: boolean
            default: true
          - name: name
            type: string
            default: model_a
          - name: items
            type: object
            default: [a, b]
        {parameters}
        steps:
          - {step}
        """, "steps/python.yml": template}


@pytest.mark.parametrize("contents, message", [
    (_pipeline_with("template: steps/python.yml"), "parameter version is required"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: 3.11}"),
     "version must be a string, not 3.11: quote it"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: '3', x: 1}"),
     "unexpected parameter.* x; the template declares version"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: '3'}",
                    template="parameters: {version: '3'}\nsteps: []\n"),
     "declare parameters as a list of name and type"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: '3'}",
                    template="parameters:\n  - name: version\nsteps: []\n"),
     "declared with name and type"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: '3'}",
                    template="parameters:\n  - {name: version, type: stringList}\nsteps: []\n"),
     "type stringList is not understood"),
    (_pipeline_with("template: steps/python.yml\n            parameters: {version: '3'}",
                    template="parameters:\n  - {name: version, type: string}\njobs: []\n"),
     "used in a list of steps, so it holds parameters and steps only"),
    (_pipeline_with("template: steps/missing.yml"), "template steps/missing.yml does not exist"),
    (_pipeline_with("template: steps/python.yml@templates"), "only paths relative"),
    (_pipeline_with("template: /steps/python.yml"), "only paths relative"),
    (_pipeline_with("script: echo ${{ parameters.nam }}"), "parameters has no nam"),
    (_pipeline_with("script: echo ${{ variables.name }}"),
     "unknown name variables .*no variable is set in YAML above it"),
    (_pipeline_with("script: ${{ format('{0}', parameters.name) }}"),
     "function format is not understood"),
    (_pipeline_with("script: echo ${{ parameters.items }}"), "cannot be put inside the string"),
    (_pipeline_with("script: echo ${{ parameters.name"), "unterminated template expression"),
    (_pipeline_with("${{ if eq(parameters.flag, 'true') }}:\n              - script: x"),
     "eq and ne compare two strings, numbers or booleans"),
    (_pipeline_with("${{ else }}:\n              - script: x"), "it knows if and each"),
    (_pipeline_with("${{ each item in parameters.name }}:\n              - script: x"),
     "each loops over a list or a mapping"),
    (_pipeline_with("script: x\n            env:\n              ${{ parameters.name }}: y"),
     "an expression as a mapping key"),
    (_pipeline_with("script: x\n            env: {A: [{template: vars.yml}]}"),
     "a template is expanded in a list of stages, jobs or steps only"),
    ({"ci.yml": "variables:\n  - template: vars.yml\nsteps: []\n",
      "vars.yml": "parameters: []\nvariables: {A: 1}\n"}, "holds variables only"),
    ({"ci.yml": "variables:\n  - group: secrets\nsteps: []\n"},
     "variable groups are not understood"),
    (_pipeline_with("script: x",
                    "  - name: extra\n            type: boolean\n            default: 'yes'"),
     "extra must be true or false"),
    ({"ci.yml": "extends:\n  template: base.yml\n"}, "`extends` templates are not understood"),
    ({"ci.yml": "trigger:\n  branches:\n    include:\n      - ${{ parameters.b }}\nsteps: []\n"},
     "expands no template expression in trigger"),
    ({"ci.yml": "steps:\n  - &step {script: x}\n  - *step\n"}, "anchors and aliases"),
    ({"ci.yml": "steps:\n  - template: self.yml\n", "self.yml": "steps:\n  - template: self.yml\n"},
     "more than 20 levels of templates"),
])
def test_what_it_does_not_understand_is_refused(files, contents, message):
    with pytest.raises(TemplateError, match=message):
        expand_pipeline(files(contents))
