"""runs show RUN_ID --html FILE, and `latest` for the newest run."""
import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.records import COMPLETED


@pytest.fixture(name="two_runs")
def fixture_two_runs(workspace_dir) -> list[str]:
    """Two finished runs in the workspace, oldest first."""
    workspace = LocalWorkspace(workspace_dir)
    try:
        ids = [workspace.runs.start_run("model_a", "model_a", {}) for _ in range(2)]
        for run_id in ids:
            workspace.runs.end_run(run_id, COMPLETED)
        return ids
    finally:
        workspace.close()


def test_html_writes_the_runs_page_as_one_file(capsys, two_runs, tmp_path):
    target = tmp_path / "report" / "run.html"
    code, out, _ = run_cli(capsys, "runs", "show", two_runs[0], "--html", str(target))
    assert code == 0 and out == f"wrote the page of run {two_runs[0]} to {target}\n"
    html = target.read_text(encoding="utf-8")
    assert two_runs[0] in html and "<style>" in html


def test_latest_is_the_newest_run(capsys, two_runs):
    code, out, _ = run_cli(capsys, "runs", "show", "latest")
    assert code == 0 and out.startswith(f"{two_runs[1]}  {COMPLETED}")


def test_latest_without_runs_says_how_to_make_one(capsys, workspace_dir):
    code, _, err = run_cli(capsys, "runs", "show", "latest", "--html",
                           str(workspace_dir / "x.html"))
    assert code == 2 and "no runs yet" in err and "tox -e pipeline" in err


def test_explain_of_a_run_without_reuse_keys_says_so_in_one_line(capsys, two_runs):
    code, out, _ = run_cli(capsys, "runs", "explain", "latest")
    assert code == 0 and out == (f"run {two_runs[1]} has no reuse keys recorded (it ran before "
                                 "they were kept, or ran no step): nothing to explain\n")
