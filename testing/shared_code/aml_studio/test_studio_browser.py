"""The studio in a real browser: Debian's Chromium, headless, driven by Playwright, against
a real studio server over a workspace where model_a's real pipeline ran, plus a failed run.

The browser is the system's (apt-get install chromium; .ci/run installs it), never one that
Playwright downloads. Its background services are turned off: they would reach for the
network, which is closed here.
"""
import importlib.util
import os
import shutil
import sys

import pytest
from serving_helpers import background_server, free_port

from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.aml_studio.display import value_text
from shared_code.amltoolbox.records import COMPLETED, FAILED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PATIENCE_MS = 120_000  # a loaded machine is slow, never this slow
FAILURE = "column 'bmi' is missing from dataset 'regression-diabetes-testing-01' version 1"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="playwright is not installed: pip install -r "
                              "virtualenvs/requirements.txt (tox does)"),
    pytest.mark.skipif(CHROMIUM is None,
                       reason="no Chromium on this machine: apt-get install chromium "
                              "(.ci/run installs it)"),
]


@pytest.fixture(name="runs", scope="module")
def fixture_runs(model_a_workspace) -> dict:
    """{'completed': model_a's real run, 'failed': a run that failed in evaluate}."""
    workspace = LocalWorkspace(model_a_workspace)
    try:
        (completed,) = [run.id for run in workspace.runs.list("model_a")
                        if run.status == COMPLETED][-1:]
        failed = workspace.runs.start_run("model_a", "model_a", {})
        workspace.runs.start_step(failed, "evaluate", None)
        workspace.runs.end_step(failed, "evaluate", FAILED, 0.5, error=FAILURE)
        workspace.runs.end_run(failed, FAILED, f"step 'evaluate' failed: {FAILURE}")
        return {"completed": completed, "failed": failed,
                "metrics": next(step.metrics for step in workspace.runs.get(completed).steps
                                if step.step == "evaluate")}
    finally:
        workspace.close()


@pytest.fixture(name="studio", scope="module")
def fixture_studio(model_a_workspace, runs) -> str:  # pylint: disable=unused-argument
    """A real studio server over the workspace, on a free loopback port: its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "shared_code.amltoolbox", "studio", "--port", str(port)]
    env = {**os.environ, WORKSPACE_ENV_VAR: str(model_a_workspace)}
    # background_server returns once GET / answers 200, within a generous deadline.
    with background_server(command, env, f"http://127.0.0.1:{port}") as url:
        yield url


@pytest.fixture(name="browser", scope="module")
def fixture_browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             timeout=PATIENCE_MS)
        yield browser
        browser.close()


@pytest.fixture(name="page")
def fixture_page(browser):
    """A fresh page; `page.problems` collects console errors and uncaught page errors."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(PATIENCE_MS)
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(
        f"console: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    yield page
    context.close()


def _open(page, url: str):
    response = page.goto(url, wait_until="load")
    assert response.ok, f"{url}: {response.status}"
    return page


def _rendered_images(page) -> list[int]:
    return page.locator("img").evaluate_all(
        "images => images.map(image => image.complete ? image.naturalWidth : 0)")


@pytest.mark.parametrize("path", ["/", "/runs?model=model_a&status=Completed", "/models",
                                  "/models/model_a", "/datasets", "/runs/{completed}",
                                  "/runs/{failed}"])
def test_every_page_loads_with_no_console_errors(page, studio, runs, path):
    _open(page, studio + path.format(**runs))
    assert page.locator("h1").is_visible()
    assert page.problems == []


def test_a_finished_runs_page_shows_its_metrics_and_its_plot(page, studio, runs):
    _open(page, studio)
    page.locator(f"a[href='/runs/{runs['completed']}']").click()
    page.wait_for_load_state("load")
    metrics = page.locator("#metrics").inner_text()
    for name in ("rmse", "mae", "r2"):
        assert name in metrics and value_text(runs["metrics"][name]) in metrics
    assert "registered model_a:1" in page.locator(".outcome").inner_text()
    (width,) = _rendered_images(page)
    assert width > 0, "the predicted-vs-actual plot did not render"
    assert page.problems == []


def test_a_failed_runs_page_shows_the_error(page, studio, runs):
    _open(page, f"{studio}/runs/{runs['failed']}")
    error = page.locator("#error")
    assert error.is_visible() and FAILURE in error.inner_text()
    assert "Failed" in page.locator("h1").inner_text()


@pytest.fixture(name="running_run")
def fixture_running_run(model_a_workspace) -> str:
    """A run of model_a still going (its runner, this process, alive); ended afterwards."""
    workspace = LocalWorkspace(model_a_workspace)
    run_id = workspace.runs.start_run("model_a", "model_a", runner_identity())
    workspace.runs.start_step(run_id, "train", None)
    yield run_id
    workspace.runs.end_step(run_id, "train", FAILED, 0.1, error="ended by the test")
    workspace.runs.end_run(run_id, FAILED, "ended by the test")
    workspace.close()


def test_a_running_runs_page_reloads_by_itself(page, studio, running_run):
    _open(page, f"{studio}/runs/{running_run}")
    assert "Running" in page.locator("h1").inner_text()
    page.wait_for_event("load")  # the page's own refresh; no click, no reload asked for
    assert page.url == f"{studio}/runs/{running_run}" and page.problems == []


def test_the_model_page_links_to_the_run_that_made_it(page, studio, runs):
    _open(page, f"{studio}/models/model_a")
    page.locator(f"#v1 a[href='/runs/{runs['completed']}']").click()
    page.wait_for_load_state("load")
    assert page.url == f"{studio}/runs/{runs['completed']}"
    assert runs["completed"] in page.locator("h1").inner_text()


def test_the_self_contained_file_shows_the_plot_with_nothing_served(page, runs,
                                                                    model_a_workspace, tmp_path):
    from shared_code.aml_studio.standalone import write_run_html
    workspace = LocalWorkspace(model_a_workspace)
    try:
        target = write_run_html(workspace, runs["completed"], tmp_path / "run.html")
    finally:
        workspace.close()
    _open(page, target.as_uri())
    assert "rmse" in page.locator("#metrics").inner_text()
    (width,) = _rendered_images(page)
    assert width > 0 and page.problems == []
