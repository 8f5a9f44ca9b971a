"""score_batch with real worker processes around a small entry script."""
import pandas as pd
import pytest

from shared_code.batch_scoring.entry_script_adapter import EntryScriptError
from shared_code.batch_scoring.inputs import InputError, input_from_path
from shared_code.batch_scoring.outputs import rejects_path
from shared_code.batch_scoring.scoring import BatchPlan, TooManyRejectsError, score_batch

ENTRY_SCRIPT = '''import os

from shared_code.amltoolbox.serving.responses import error_response

_loaded = {}


def init():
    _loaded["factor"] = float(os.environ["FACTOR"])
    _loaded["pid"] = os.getpid()


def run(data):
    bad = [i for i, row in enumerate(data) if not row["x"] >= 0]
    if bad:
        return error_response(400, f"row {bad[0]}: x must be a number from 0")
    return {"predictions": [row["x"] * _loaded["factor"] for row in data],
            "worker": [_loaded["pid"]] * len(data), "model": "m:1"}
'''


@pytest.fixture(name="plan")
def fixture_plan(tmp_path):
    script = tmp_path / "entry_script.py"
    script.write_text(ENTRY_SCRIPT, encoding="utf-8")

    def plan(values, workers=1, chunk_rows=3, max_rejects=None):
        source = tmp_path / "rows.csv"
        pd.DataFrame({"x": values}).to_csv(source, index=False)
        return BatchPlan(entry_script=script, environment={"FACTOR": "2"},
                         batch_input=input_from_path(source), output=tmp_path / "out.csv",
                         workers=workers, chunk_rows=chunk_rows, max_rejects=max_rejects)
    return plan


@pytest.mark.parametrize("workers", [1, 2])
def test_every_row_is_answered_in_order_by_workers_with_their_own_init(plan, workers):
    batch = plan(list(range(10)), workers=workers)
    summary = score_batch(batch)
    answers = pd.read_csv(batch.output)
    assert answers["row"].tolist() == list(range(10))
    assert answers["predictions"].tolist() == [2.0 * x for x in range(10)]
    assert answers["worker"].nunique() <= workers
    assert (summary.scored, summary.rejected) == (10, 0)
    assert not rejects_path(batch.output).exists()


@pytest.mark.parametrize("cores", [1, 8])  # the workers format the lines, or this process
def test_the_output_is_the_same_whichever_process_formats_it(plan, mocker, cores):
    mocker.patch("shared_code.batch_scoring.scoring.os.cpu_count", return_value=cores)
    batch = plan([1, -1, 2.5, None, 3, 4], chunk_rows=4)
    score_batch(batch)
    lines = batch.output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,predictions,worker"
    assert [line.rsplit(",", 1)[0] for line in lines[1:]] == ["0,2.0", "2,5.0", "4,6.0", "5,8.0"]


def test_rejected_rows_go_beside_the_output_and_the_rest_is_scored(plan):
    batch = plan([1, -1, 2, None, 3, 4])
    summary = score_batch(batch)
    assert (summary.scored, summary.rejected) == (4, 2)
    assert pd.read_csv(batch.output)["row"].tolist() == [0, 2, 4, 5]
    rejects = pd.read_csv(rejects_path(batch.output))
    assert rejects["row"].tolist() == [1, 3]
    assert rejects["message"].str.contains("x must be a number").all()


def test_past_max_rejects_the_batch_stops_without_output(plan):
    batch = plan([1, -1, -2, 3, -4, 5, 6, 7, 8], max_rejects=1)
    with pytest.raises(TooManyRejectsError, match="more than --max-rejects 1"):
        score_batch(batch)
    assert not batch.output.exists()
    assert len(pd.read_csv(rejects_path(batch.output))) >= 2


def test_an_input_the_model_rejects_whole_writes_nothing(plan):
    batch = plan([-1, -2, -3, 4])
    with pytest.raises(InputError, match="rejected every one of the first 3 rows"):
        score_batch(batch)
    assert sorted(p.name for p in batch.output.parent.iterdir()) == ["entry_script.py",
                                                                      "rows.csv"]


def test_a_failing_init_is_one_line(plan):
    batch = plan([1, 2])
    broken = BatchPlan(**{**vars(batch), "environment": {}})
    with pytest.raises(EntryScriptError, match="init\\(\\) failed: KeyError: 'FACTOR'"):
        score_batch(broken)
    assert not batch.output.exists()
