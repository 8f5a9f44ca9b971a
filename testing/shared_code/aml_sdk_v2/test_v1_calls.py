"""v2 readiness: each SDK v1 call a step script makes that fails in a v2 job, file:line,
with its replacement; the shipped models have none."""
import sys
import types
from argparse import Namespace
from pathlib import Path

import pytest

from shared_code.aml_sdk_v2 import pipeline_commands
from shared_code.aml_sdk_v2.v1_calls import (V1CallsError, readiness_report,
                                                      v1_calls_in, v1_calls_in_steps)
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step

DOCUMENT_STEPS = REPO_ROOT / "testing" / "document_model_sample" / "script_steps"


def _lines(script: Path, text: str) -> list[int]:
    return [number for number, line in enumerate(script.read_text("utf-8").splitlines(), 1)
            if text in line]


def test_the_documents_train_snippet_is_named_line_by_line_with_replacements():
    script = DOCUMENT_STEPS / "train.py"
    found = {(call.line, call.what) for call in v1_calls_in(script)}
    assert found == {
        (_lines(script, "from azureml.core.run import Run")[0],
         "from azureml.core.run import Run"),
        (_lines(script, "Run.get_context()")[0], "Run.get_context()"),
        (_lines(script, "run.input_datasets")[0], "run.input_datasets"),
        (_lines(script, "= run.output_datasets")[0], "run.output_datasets")}
    replacements = {call.what: call.replacement for call in v1_calls_in(script)}
    assert "main(context)" in replacements["Run.get_context()"]
    assert "paths on the command line" in replacements["run.input_datasets"]


def test_other_azureml_core_use_is_named_too(tmp_path):
    script = tmp_path / "step.py"
    script.write_text("import azureml.core\nfrom azureml.core import Dataset as D, Run\n"
                      "ws = Run.get_context().experiment.workspace\n"
                      "data = D.get_by_name(ws, 'x')\n", encoding="utf-8")
    whats = [(call.line, call.what) for call in v1_calls_in(script)]
    assert whats == [(1, "import azureml.core"),
                     (2, "from azureml.core import Dataset, Run"),
                     (3, "Run.get_context()"), (4, "azureml.core.Dataset.get_by_name()")]


@pytest.mark.parametrize("model", ["model_a", "model_b"])
def test_the_shipped_models_report_nothing(model):
    from shared_code.amltoolbox.pipeline import load_pipeline
    config, steps = load_pipeline(model)
    assert not v1_calls_in_steps(config, steps)


@pytest.fixture(name="document_config")
def fixture_document_config(tmp_path):
    """A config whose script_steps/ holds the document model's scripts."""
    folder = tmp_path / "document_model"
    (folder / "script_steps").mkdir(parents=True)
    for name in ("train.py", "evaluate.py"):
        (folder / "script_steps" / name).write_text(
            (DOCUMENT_STEPS / name).read_text("utf-8"), encoding="utf-8")
    from shared_code.amltoolbox.layout import ModelLayout
    return types.SimpleNamespace(folder=folder, layout=ModelLayout(folder))


STEPS = [Step("train", "train.py", outputs=["model"]),
         Step("evaluate", "evaluate.py", inputs={}, outputs=["model_score"])]


def test_the_report_lists_each_call_file_line_first(document_config, tmp_path):
    calls = v1_calls_in_steps(document_config, STEPS)
    report = readiness_report(document_config, calls, tmp_path)
    first, *rest = report.splitlines()
    assert first == (f"{len(calls)} SDK v1 call(s) in document_model's step scripts do not "
                     "work inside an SDK v2 job:")
    assert rest[0].startswith("  document_model/script_steps/train.py:")
    assert any(line.startswith("  document_model/script_steps/evaluate.py:") for line in rest)


def _args(**given) -> Namespace:
    return Namespace(**{"dump": None, "submit": False, "publish": False, "wait": False,
                        "no_reuse": False, "argv": [], **given})


def test_dump_still_writes_the_job_and_prints_the_report(document_config, mocker, capsys,
                                                         tmp_path):
    mocker.patch.object(pipeline_commands, "has_sdk_v2", return_value=True)
    dump = mocker.Mock(return_value=tmp_path / "job.yml")
    mocker.patch.dict(sys.modules, {"shared_code.aml_sdk_v2.job_yaml":
                                    types.SimpleNamespace(dump_pipeline_job=dump)})
    status = pipeline_commands.run_v2(_args(dump=tmp_path / "job.yml"), document_config, STEPS,
                                      "document-model", "cpu-cluster")
    assert status == 0 and dump.called
    out = capsys.readouterr().out
    assert "SDK v1 call(s) in document_model's step scripts" in out
    assert "Run.get_context() gives no run inside a v2 job" in out


@pytest.mark.parametrize("where", ["submit", "publish"])
def test_submit_and_publish_are_refused_before_reaching_azure(document_config, mocker, where):
    mocker.patch.object(pipeline_commands, "has_sdk_v2", return_value=True)
    # Reaching for a workspace would raise ImportError: the refusal comes first.
    mocker.patch.dict(sys.modules, {"shared_code.aml_sdk_v2.ml_client": None})
    with pytest.raises(V1CallsError, match="Replace them, then submit or publish again"):
        pipeline_commands.run_v2(_args(**{where: True}), document_config, STEPS,
                                 "document-model", "cpu-cluster")
