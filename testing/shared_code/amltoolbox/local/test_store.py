"""The workspace's SQLite index: where it lives, transactions, reopening, many processes."""
import multiprocessing
import sqlite3

import pytest

from shared_code.amltoolbox.local import store as store_module
from shared_code.amltoolbox.local.store import (INDEX_FILE, Store, WorkspaceError, diagnosis,
                                                dumps, utc_now)
from shared_code.amltoolbox.paths import DEFAULT_WORKSPACE_DIRNAME, REPO_ROOT, WORKSPACE_ENV_VAR


def test_the_workspace_is_the_env_var_folder_when_set(workspace_dir):
    assert Store().root == workspace_dir.resolve()


def test_the_workspace_defaults_to_a_folder_at_the_repo_root(monkeypatch):
    monkeypatch.delenv(WORKSPACE_ENV_VAR, raising=False)
    assert Store().root == REPO_ROOT / DEFAULT_WORKSPACE_DIRNAME


def test_the_index_is_created_on_first_use_in_wal_mode(tmp_path):
    store = Store(tmp_path / "ws")
    assert not (tmp_path / "ws").exists()
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    assert (tmp_path / "ws" / INDEX_FILE).is_file()
    tables = {row["name"] for row in store.query(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"datasets", "models", "runs", "step_runs", "metrics", "images", "tags"} <= tables
    store.close()


def _insert_run(db, run_id):
    db.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?)",
               (run_id, "m", "e", "Running", utc_now(), None, None, "{}"))


def test_a_transaction_commits_and_is_seen_after_reopening(tmp_path):
    store = Store(tmp_path)
    with store.transaction() as db:
        _insert_run(db, "r1")
    store.close()
    assert [row["id"] for row in Store(tmp_path).query("SELECT id FROM runs")] == ["r1"]


def test_a_transaction_that_raises_leaves_nothing(tmp_path):
    store = Store(tmp_path)
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            _insert_run(db, "r1")
            raise RuntimeError("boom")
    assert store.query("SELECT id FROM runs") == []
    with store.transaction() as db:  # the connection is usable again
        _insert_run(db, "r2")
    assert len(store.query("SELECT id FROM runs")) == 1


def test_a_transaction_holds_the_write_lock_from_its_start(tmp_path):
    store, other = Store(tmp_path), sqlite3.connect(tmp_path / INDEX_FILE, timeout=0)
    store.query("SELECT 1")  # create the index
    with store.transaction():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()
    store.close()


def test_json_columns_are_stable_whatever_the_key_order():
    assert dumps({"b": 1, "a": 2}) == dumps({"a": 2, "b": 1}) == '{"a": 2, "b": 1}'


def _open_and_write(root: str, barrier, results) -> None:
    barrier.wait()  # every process opens the new index at the same moment
    try:
        with Store(root).transaction() as db:
            _insert_run(db, f"run_{multiprocessing.current_process().pid}")
        results.put("ok")
    except sqlite3.Error as error:
        results.put(f"{type(error).__name__}: {error}")


def test_processes_opening_a_new_workspace_at_once_all_succeed(tmp_path):
    fork = multiprocessing.get_context("fork")
    # Two processes racing for a new index collide most often; six tries catch a lost race.
    processes_per_workspace, workspaces = 2, 6
    outcomes = []
    for index in range(workspaces):
        barrier, results = fork.Barrier(processes_per_workspace), fork.Queue()
        children = [fork.Process(target=_open_and_write,
                                 args=(str(tmp_path / str(index)), barrier, results))
                    for _ in range(processes_per_workspace)]
        for child in children:
            child.start()
        outcomes += [results.get(timeout=60) for _ in children]
        for child in children:
            child.join(timeout=60)
    assert set(outcomes) == {"ok"}
    store = Store(tmp_path / "0")
    assert len(store.query("SELECT id FROM runs")) == processes_per_workspace
    store.close()


def test_an_index_locked_for_longer_than_the_timeout_is_an_error_not_a_hang(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(store_module, "_BUSY_TIMEOUT_SECONDS", 0)
    holder = sqlite3.connect(tmp_path / INDEX_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(WorkspaceError, match="locked by another process"):
        Store(tmp_path).query("SELECT 1")
    holder.execute("ROLLBACK")
    holder.close()


def test_an_index_made_before_datasets_recorded_their_run_gets_the_column(tmp_path):
    old = sqlite3.connect(tmp_path / INDEX_FILE)
    old.execute("CREATE TABLE datasets (name TEXT NOT NULL, version INTEGER NOT NULL, type TEXT "
                "NOT NULL, description TEXT NOT NULL, tags TEXT NOT NULL, content_sha256 TEXT "
                "NOT NULL, path TEXT NOT NULL, files INTEGER NOT NULL, created TEXT NOT NULL, "
                "PRIMARY KEY (name, version))")
    old.execute("INSERT INTO datasets VALUES ('d', 1, 'file', '', '{}', 'sha', 'datasets/d/1', "
                "1, '2026-01-01')")
    old.commit()
    old.close()
    store = Store(tmp_path)
    [row] = store.query("SELECT name, run_id FROM datasets")
    assert (row["name"], row["run_id"]) == ("d", None)
    store.close()


@pytest.mark.parametrize("code, says", [
    (11, "is damaged"), (26, "is not a SQLite database"), (8, "is read-only"),
    (14, "is read-only or cannot be opened"), (13, "make room on its disk"),
    (5, "stayed locked by another process"), (19, None),
])
def test_sqlite_errors_that_say_the_index_cannot_be_used_get_a_diagnosis(tmp_path, code, says):
    error = sqlite3.DatabaseError("what SQLite said")
    error.sqlite_errorcode = code
    message = diagnosis(error, tmp_path / INDEX_FILE)
    if says is None:  # a constraint, a bug in a query: not the index's state
        assert message is None
    else:
        assert says in message and str(tmp_path) in message
        assert code == 5 or "(what SQLite said)" in message
