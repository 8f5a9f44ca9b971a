"""serve --log-requests: the features of scored requests, bounded, rotated, written by a
thread of the worker."""
import json

import pytest

from shared_code.amltoolbox.serving.request_log import REQUEST_LOG_ENV_VAR, log_request
from shared_code.amltoolbox.serving.responses import score_or_reject
from shared_code.amltoolbox.serving.scoring_run import ScoringRun
from shared_code.amltoolbox.serving.validation import ClientError
from shared_code.model_monitoring import request_log
from shared_code.model_monitoring.request_log import close_request_log, logged_requests


@pytest.fixture(name="folder")
def fixture_folder(tmp_path, monkeypatch):
    folder = tmp_path / "request_logs" / "model_a"
    monkeypatch.setenv(REQUEST_LOG_ENV_VAR, str(folder))
    yield folder
    close_request_log()


def _fail(_data):
    raise ClientError("row 0 has no 'age'")


def test_scored_requests_are_kept_and_refused_ones_are_not(folder):
    rows = [{"age": 61.0, "bmi": 25.8}]
    assert score_or_reject(lambda data: {"predictions": [1.0]}, rows) == {"predictions": [1.0]}
    score_or_reject(_fail, [{"name": "someone"}])
    close_request_log()
    (file,) = folder.iterdir()
    (line,) = file.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["data"] == rows
    assert list(logged_requests(folder)) == [rows]


def test_without_the_variable_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(REQUEST_LOG_ENV_VAR, raising=False)
    score_or_reject(lambda data: 1, [{"age": 1}])
    assert not list(tmp_path.iterdir())


def test_the_log_is_bounded_and_rotated_oldest_first(folder, monkeypatch):
    monkeypatch.setattr(request_log, "MAX_BYTES", 200)
    monkeypatch.setattr(request_log, "BACKUPS", 2)
    for index in range(40):
        log_request([{"age": index}])
    close_request_log()
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3 and all(p.stat().st_size <= 200 for p in folder.iterdir())
    kept = [data[0]["age"] for data in logged_requests(folder)]
    assert kept == sorted(kept) and kept[-1] == 39 and len(kept) < 40


def test_the_run_decorator_keeps_what_it_scored_and_not_what_it_refused(folder):
    run = ScoringRun(lambda rows: {"predictions": [0.0] * len(rows)}, 10, "row", 413)
    run([{"age": 1.0}])
    run("not a list of rows")
    close_request_log()
    assert list(logged_requests(folder)) == [[{"age": 1.0}]]
