"""A batch scoring recorded as a run, linked from the model version it scored with."""
import pytest

from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.hashing import file_sha256
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.batch_scoring.inputs import input_from_path
from shared_code.batch_scoring.run_record import EXPERIMENT, end_batch_run, start_batch_run
from shared_code.batch_scoring.scoring import BatchSummary


@pytest.fixture(name="scored")
def fixture_scored(workspace_dir, tmp_path):
    """A workspace with model_x:1 registered and one batch scored with it; its run id."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.pkl").write_bytes(b"model")
    rows = tmp_path / "rows.csv"
    rows.write_text("a\n1\n", encoding="utf-8")
    workspace = LocalWorkspace(workspace_dir)
    try:
        record, _ = workspace.models.register("model_x", tmp_path / "model")
        run_id = start_batch_run(workspace, record, input_from_path(rows), tmp_path / "o.csv", 2)
        end_batch_run(workspace, run_id, BatchSummary(scored=9, rejected=1, seconds=2.0),
                      {"answers": str(tmp_path / "o.csv")})
        return run_id, file_sha256(rows)
    finally:
        workspace.close()


def test_the_run_holds_the_input_the_model_and_the_counts(scored, workspace_dir):
    run_id, sha256 = scored
    workspace = LocalWorkspace(workspace_dir)
    try:
        run = workspace.runs.get(run_id)
        assert [r.id for r in workspace.runs.using_model("model_x:1")] == [run_id]
        assert workspace.runs.using_model("model_x:2") == []
    finally:
        workspace.close()
    assert (run.model, run.experiment, run.status) == ("model_x", EXPERIMENT, "Completed")
    assert run.properties["scored_model"] == "model_x:1"
    assert run.properties["input_sha256"] == sha256 and run.properties["input_dataset"] is None
    assert run.steps[0].metrics == {"scored": 9, "rejected": 1, "seconds": 2.0,
                                    "rows_per_second": 5.0}


def test_runs_list_and_models_show_point_at_it(scored, capsys):
    run_id, _ = scored
    for argv in (["runs", "list"], ["models", "show", "model_x"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert run_id in capsys.readouterr().out
