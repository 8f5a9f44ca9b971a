"""--explain: each step's reuse key, and what made a step run again, on a tiny model whose
steps take milliseconds."""
import dataclasses
from pathlib import Path

import pytest
from tiny_pipeline import CONSUME, DATA, PRODUCE

from shared_code.amltoolbox.local.explain import diff_stat, explain_run, format_explanation
from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.records import COMPLETED
from shared_code.amltoolbox.local.workspace import LocalWorkspace

def _run(config, workspace, steps=(PRODUCE, CONSUME), reuse=True):
    result = LocalPipelineRunner(config, steps, workspace, reuse=reuse,
                                 report=lambda line: None).run()
    assert result.succeeded
    return result.run_id, {step.step: step for step in explain_run(workspace, result.run_id).steps}


def test_a_first_run_shows_each_steps_key_parts(tiny_config, tiny_workspace):
    run_id, steps = _run(tiny_config, tiny_workspace)
    assert steps["produce"].verdict == "ran: no earlier run of this step to reuse"
    printed = "\n".join(format_explanation(explain_run(tiny_workspace, run_id)))
    assert "script model_t/script_steps/produce.py " in printed
    assert f"input data: dataset {DATA}:1, content " in printed
    assert "input out: output out of produce, content " in printed
    assert "environment model_t/config/conda_environment.yml " in printed
    assert "arguments none" in printed


def test_an_unchanged_rerun_says_where_each_step_was_reused_from(tiny_config, tiny_workspace):
    first, _ = _run(tiny_config, tiny_workspace)
    _, steps = _run(tiny_config, tiny_workspace)
    assert [step.verdict for step in steps.values()] == [
        f"reused from run {first} (step {name}): its key is unchanged"
        for name in ("produce", "consume")]


def test_a_one_line_edit_names_only_that_file_with_a_diff_stat(tiny_config, tiny_workspace):
    first, _ = _run(tiny_config, tiny_workspace)
    script = tiny_config.folder / "script_steps" / "consume.py"
    script.write_text(script.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    _, steps = _run(tiny_config, tiny_workspace)
    assert steps["produce"].verdict.startswith("reused from run")
    assert steps["consume"].verdict == f"ran: differs from run {first} in"
    assert steps["consume"].changes == ["model_t/script_steps/consume.py changed (+1 -0)"]


def test_shared_code_environment_and_dependence_are_each_named(tiny_config, tiny_workspace):
    first, _ = _run(tiny_config, tiny_workspace)
    (tiny_config.folder / "helpers.py").write_text("x = 1\n", encoding="utf-8")
    (tiny_config.folder / "config" / "conda_environment.yml").write_text(
        "name: t\ndependencies: []\n", encoding="utf-8")
    _, steps = _run(tiny_config, tiny_workspace)
    assert steps["produce"].changes == [
        "model_t/helpers.py added",
        "environment: model_t/config/conda_environment.yml changed (+1 -0)"]
    assert steps["consume"].changes == [
        *steps["produce"].changes,
        "input out: output out of produce, which ran again in this run (same content)"]
    assert steps["consume"].compared_with == first


def test_a_new_dataset_version_and_new_arguments_are_named(tiny_config, tiny_workspace, tmp_path):
    _run(tiny_config, tiny_workspace)
    (tmp_path / "data" / "data.txt").write_text("abcd", encoding="utf-8")
    tiny_workspace.datasets.register(DATA, "file", tmp_path / "data", "tiny data")
    steps = (dataclasses.replace(PRODUCE, arguments=["--extra"]), CONSUME)
    _, explained = _run(tiny_config, tiny_workspace, steps)
    assert explained["produce"].changes == [
        "arguments: [] -> ['--extra']", f"input data: dataset {DATA}:1 -> {DATA}:2"]
    assert explained["consume"].changes == [
        "input out: output out of produce, which ran again in this run (its content changed)"]


@pytest.mark.parametrize("step_reuse, run_reuse, verdict", [
    (True, False, "ran: reuse was off (--no-reuse); same key as run {first}"),
    (False, True, "ran: never reused (reuse=False); same key as run {first}"),
])
def test_a_step_run_with_an_unchanged_key_says_why(tiny_config, tiny_workspace, step_reuse,
                                                    run_reuse, verdict):
    steps = (dataclasses.replace(PRODUCE, reuse=step_reuse), CONSUME)
    first, _ = _run(tiny_config, tiny_workspace, steps)
    _, explained = _run(tiny_config, tiny_workspace, steps, reuse=run_reuse)
    assert explained["produce"].verdict == verdict.format(first=first)


def test_a_step_whose_outputs_went_missing_says_so(tiny_config, tiny_workspace):
    first, _ = _run(tiny_config, tiny_workspace)
    for output in tiny_workspace.runs.get(first).steps[0].outputs.values():
        for file in Path(output).iterdir():
            file.unlink()
    _, explained = _run(tiny_config, tiny_workspace)
    assert explained["produce"].verdict == (f"ran: same key as run {first}, whose outputs are "
                                            "gone or were changed since")


def test_a_run_recorded_before_keys_were_kept_says_so_in_one_line(tmp_path):
    workspace = LocalWorkspace(tmp_path / "ws")
    run_id = workspace.runs.start_run("model_t", "model_t", {})
    workspace.runs.start_step(run_id, "produce", "fingerprint")
    workspace.runs.end_step(run_id, "produce", COMPLETED, 1.0)
    explanation = explain_run(workspace, run_id)
    assert format_explanation(explanation) == [
        f"run {run_id} has no reuse keys recorded (it ran before they were kept, or ran no "
        "step): nothing to explain"]
    tables = {row[0] for row in workspace.store.query("SELECT name FROM sqlite_master")}
    assert "reuse_keys" not in tables  # explaining only reads
    workspace.close()


@pytest.mark.parametrize("old, new, expected", [
    (b"a\nb\n", b"a\nc\n", "+1 -1"),
    (b"a\n", b"a\nb\nc\n", "+2 -0"),
    (b"a\nb\n", b"b\n", "+0 -1"),
    (None, b"a", "content not kept"),
])
def test_diff_stat_counts_added_and_removed_lines(old, new, expected):
    assert diff_stat(old, new) == expected
