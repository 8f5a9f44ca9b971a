"""serve --log-requests, then drift MODEL --requests: the real server, model_a's test data
posted to it, and the check of what it saw."""
import json
import os
import sys
import urllib.request

import pandas as pd
import pytest
from serving_helpers import background_server, free_port

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.model_monitoring.drift_check import check_drift

pytestmark = pytest.mark.integration


def _post(url: str, rows: list[dict]) -> dict:
    request = urllib.request.Request(f"{url}/score", json.dumps({"data": rows}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def test_the_requests_a_server_logged_are_checked_for_drift(model_a_workspace):
    workspace = LocalWorkspace(model_a_workspace)
    dataset = workspace.datasets.get("regression-diabetes-testing-01")
    test = pd.concat([pd.read_csv(f) for f in sorted(dataset.path.rglob("*.csv"))])
    rows = test.drop(columns=["target"]).to_dict("records")
    port = free_port()
    command = [sys.executable, "-m", "shared_code.amltoolbox", "serve", "model_a", "--port",
               str(port), "--workers", "1", "--log-requests"]
    env = {**os.environ, WORKSPACE_ENV_VAR: str(model_a_workspace)}
    try:
        with background_server(command, env, f"http://127.0.0.1:{port}") as url:
            for start in range(0, len(rows), 10):
                assert len(_post(url, rows[start:start + 10])["predictions"]) == len(
                    rows[start:start + 10])
        report = check_drift(workspace, "model_a", requests=True)
    finally:
        workspace.close()
    assert report.rows == len(rows) == 111
    assert report.verdict == "no drift" and report.new_data.startswith("requests served")
