"""The run page's "why": each step's verdict, what changed and its key's parts."""
import pytest

from shared_code.amltoolbox.local.reuse_keys import ReuseKeys, step_parts
from shared_code.amltoolbox.records import COMPLETED, REUSED
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.aml_studio.app import create_app
from shared_code.aml_studio.reuse_view import reuse_reasons

SCRIPT = "model_t/script_steps/evaluate.py"


def _record_run(workspace: LocalWorkspace, repo, script_text: str, reused_from=None) -> str:
    """A run of train (reused when `reused_from`) and evaluate, with their key parts."""
    keys = ReuseKeys(workspace.store, repo_root=repo)
    (repo / SCRIPT).write_text(script_text, encoding="utf-8")
    keys.save_manifest("code", {})
    run_id = workspace.runs.start_run("model_t", "model_t", {})
    for step, sha in (("train", "1" * 64), ("evaluate", str(len(script_text)) * 64)):
        workspace.runs.start_step(run_id, step, f"fingerprint-{step}-{sha}")
        keys.save_parts(run_id, step, step_parts(
            script=(SCRIPT, sha), code="code", environment={}, arguments=[], inputs={},
            champion=None, reuse={"step": True, "run": True}))
        reused = reused_from if step == "train" else None
        workspace.runs.end_step(run_id, step, REUSED if reused else COMPLETED, 0.5,
                                reused_from=reused)
    workspace.runs.end_run(run_id, COMPLETED)
    return run_id


@pytest.fixture(name="two_runs")
def fixture_two_runs(tmp_path):
    """A first run, then one whose evaluate.py gained a line."""
    (tmp_path / "model_t" / "script_steps").mkdir(parents=True)
    workspace = LocalWorkspace(tmp_path / "ws")
    first = _record_run(workspace, tmp_path, "a\n")
    second = _record_run(workspace, tmp_path, "a\nb\n", reused_from=first)
    yield workspace, first, second
    workspace.close()


def test_each_step_has_its_verdict_changes_and_key(two_runs):
    workspace, first, second = two_runs
    reasons = reuse_reasons(workspace, second)
    assert reasons["train"].verdict.startswith(f"reused from run {first}")
    assert reasons["evaluate"].changes == [f"{SCRIPT} changed (+1 -0)"]
    assert reasons["evaluate"].key[0].startswith(f"script {SCRIPT} ")


def test_the_run_page_shows_why_each_step_ran(two_runs):
    workspace, first, second = two_runs
    app = create_app(workspace.root, trusted_hosts=["localhost"])
    with app.test_client() as client:
        client.environ_base["HTTP_HOST"] = "localhost"
        html = client.get(f"/runs/{second}").get_data(as_text=True)
    assert f"why: ran: differs from run {first} in" in html
    assert f"<li>{SCRIPT} changed (+1 -0)</li>" in html
