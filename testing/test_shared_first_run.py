"""A model's first pipeline run is made once per session, whichever xdist worker asks first."""
import threading

import pytest
from shared_first_run import first_run_once, session_folder


def test_under_xdist_the_workers_share_their_base_temps_parent(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert session_folder(tmp_path / "popen-gw1") == tmp_path
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert session_folder(tmp_path) == tmp_path


def test_the_run_is_made_once_and_its_outcome_given_to_every_asker(tmp_path):
    calls, started, release = [], threading.Event(), threading.Event()

    def run(model, root):
        calls.append((model, root))
        started.set()
        release.wait(60)
        return {"model": model}

    first = []
    worker = threading.Thread(target=lambda: first.append(first_run_once("m", tmp_path, run)))
    worker.start()
    assert started.wait(60)
    waiting = []
    other = threading.Thread(target=lambda: waiting.append(first_run_once("m", tmp_path, run)))
    other.start()
    release.set()
    worker.join(60)
    other.join(60)
    assert calls == [("m", tmp_path / "m_workspace")]
    assert first == waiting == [(tmp_path / "m_workspace", {"model": "m"})]


def test_a_run_that_raised_fails_the_others_with_its_message(tmp_path):
    def run(model, root):
        raise RuntimeError(f"{model} in {root.name} broke")

    with pytest.raises(RuntimeError, match="m in m_workspace broke"):
        first_run_once("m", tmp_path, run)
    with pytest.raises(AssertionError, match="failed in another worker: RuntimeError: m in "):
        first_run_once("m", tmp_path, run)
