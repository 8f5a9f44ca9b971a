"""The model card and the latest drift verdict in the studio, in a real browser (Debian's
Chromium, headless, driven by Playwright) against a real studio server over a workspace where
model_a's real pipeline ran and a drift check was made."""
import importlib.util
import os
import shutil
import sys

import pytest
from serving_helpers import background_server, free_port

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.model_monitoring.drift_check import check_drift

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PATIENCE_MS = 120_000  # a loaded machine is slow, never this slow

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="playwright is not installed: pip install -r "
                              "virtualenvs/requirements.txt (tox does)"),
    pytest.mark.skipif(CHROMIUM is None,
                       reason="no Chromium on this machine: apt-get install chromium "
                              "(.ci/run installs it)"),
]


@pytest.fixture(name="checked", scope="module")
def fixture_checked(model_a_workspace) -> dict:
    """A drift check of model_a:1 on its own test data, and the datasets' hashes."""
    workspace = LocalWorkspace(model_a_workspace)
    try:
        report = check_drift(workspace, "model_a:1", dataset="regression-diabetes-testing-01")
        return {"run_id": report.run_id, "verdict": report.verdict,
                "hashes": [d.content_sha256 for d in workspace.datasets.list()]}
    finally:
        workspace.close()


@pytest.fixture(name="studio", scope="module")
def fixture_studio(model_a_workspace, checked) -> str:  # pylint: disable=unused-argument
    port = free_port()
    command = [sys.executable, "-m", "shared_code.amltoolbox", "studio", "--port", str(port)]
    env = {**os.environ, WORKSPACE_ENV_VAR: str(model_a_workspace)}
    with background_server(command, env, f"http://127.0.0.1:{port}") as url:
        yield url


@pytest.fixture(name="page")
def fixture_page():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             timeout=PATIENCE_MS)
        page = browser.new_page()
        page.set_default_timeout(PATIENCE_MS)
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(
            message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        yield page
        browser.close()


def test_the_model_page_shows_the_latest_drift_verdict_and_links_the_card(page, studio,
                                                                           checked):
    assert page.goto(f"{studio}/models/model_a", wait_until="load").ok
    verdict = page.locator("#v1 .checks").inner_text()
    assert "latest drift check" in verdict and checked["verdict"] in verdict
    assert checked["run_id"] in verdict
    page.locator("#v1 a", has_text="Model card").click()
    page.wait_for_load_state("load")
    assert page.url == f"{studio}/models/model_a/1/card"
    assert page.problems == []


def test_the_card_names_the_data_hashes_and_shows_its_plot(page, studio, checked):
    assert page.goto(f"{studio}/models/model_a/1/card", wait_until="load").ok
    card = page.locator(".model-card")
    assert "Model card: model_a:1" in card.locator("h1").inner_text()
    text = card.inner_text()
    assert all(sha256 in text for sha256 in checked["hashes"])
    for heading in ("Purpose", "Intended use", "Limitations", "Contacts"):
        assert card.locator("h2", has_text=heading).is_visible()
    widths = card.locator("img").evaluate_all(
        "images => images.map(image => image.complete ? image.naturalWidth : 0)")
    assert widths and all(width > 0 for width in widths)
    assert page.problems == []
