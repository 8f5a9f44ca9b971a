"""A model card says only what was recorded, and says what was not."""
import pytest

from shared_code.amltoolbox.hashing import file_sha256
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.model_monitoring.card_facts import entry_schema, gather_card
from shared_code.model_monitoring.card_render import card_html, card_markdown


def _card(recorded, **kwargs) -> dict:
    workspace = LocalWorkspace(recorded.root)
    try:
        return gather_card(workspace, workspace.models.get("model_a", 1), **kwargs)
    finally:
        workspace.close()


def test_the_card_names_each_datasets_version_size_and_sha256(recorded):
    card = _card(recorded)
    workspace = LocalWorkspace(recorded.root)
    hashes = {d.id: d.content_sha256 for d in workspace.datasets.list()}
    workspace.close()
    assert [(d["usage"], d["id"], d["rows"], d["sha256"]) for d in card["datasets"]] == [
        ("training_data", recorded.training, 3, hashes[recorded.training]),
        ("testing_data", recorded.testing, 2, hashes[recorded.testing])]
    markdown = card_markdown(card)
    assert all(sha256 in markdown for sha256 in hashes.values())


def test_the_card_sets_the_metrics_beside_the_champions_and_the_baselines(recorded, summary):
    card = _card(recorded)
    evaluation = card["evaluation"]
    assert evaluation["reason"] == summary["reason"] and evaluation["register_trained_model"]
    assert evaluation["champion"]["metrics"] == {"rmse": 60.1, "mae": 47.0}
    assert evaluation["baseline"]["metrics"]["rmse"] == 74.9
    markdown = card_markdown(card)
    assert "| metric | this version | champion model_a:1 | naive baseline |" in markdown
    assert "| rmse | 55.2 | 60.1 | 74.9 |" in markdown
    assert summary["reason"] in markdown


def test_the_card_quotes_the_documentation_schema_environment_and_code_version(recorded):
    card = _card(recorded, registered_by="someone")
    assert set(card["documentation"]["sections"]) == {"Purpose", "Intended use", "Limitations",
                                                      "Contacts"}
    assert card["schema"]["example_request"]["data"][0]["age"] == 61.0
    conda = REPO_ROOT / "model_a" / "config" / "conda_environment.yml"
    assert card["environment"]["conda_file"] == {"path": "model_a/config/conda_environment.yml",
                                                 "sha256": file_sha256(conda)}
    assert card["environment"]["lock_file"]["sha256"] == file_sha256(
        REPO_ROOT / "virtualenvs" / "requirements.txt")
    assert card["code"]["commit"] == recorded.commit
    assert card["registered"]["by"] == "someone" and card["registered"]["run_id"]
    assert card["plots"] == [{"name": "predicted_vs_actual", "path": (
        f"runs/{recorded.run_id}/evaluate/images/predicted_vs_actual.png")}]
    assert not card["notes"] and not card["warnings"]


def test_the_html_card_embeds_its_plot_and_escapes_the_documentation(recorded):
    card = _card(recorded)
    card["documentation"]["sections"]["Purpose"] = "<script>alert(1)</script>"
    html = card_html(card, recorded.root)
    assert "data:image/png;base64," in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_summary_with_the_flag_alone_and_no_model_info_is_said_not_failed(record):
    recorded = record(summary={"register_trained_model": True}, lineage=False)
    card = _card(recorded)
    assert card["datasets"] == []
    assert any("training dataset was not recorded" in note for note in card["notes"])
    assert any("holds only register_trained_model" in note for note in card["notes"])
    markdown = card_markdown(card)
    assert "## What was not recorded" in markdown and "Reason: not recorded." in markdown


def test_a_run_without_summary_json_gives_a_card_without_evaluation(record):
    card = _card(record(evaluated=False))
    assert not card["evaluation"]
    assert any("no summary.json" in note for note in card["notes"])


def test_an_entry_script_without_a_recorded_schema_is_a_note(tmp_path, monkeypatch):
    folder = tmp_path / "cards_plain_model"
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "entry_script.py").write_text(
        "def init():\n    pass\n\n\ndef run(data):\n    return data\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    notes = []
    assert entry_schema(folder, notes) == {}
    assert "records no schema" in notes[0]


@pytest.mark.parametrize("broken", ["raise ImportError('no such package')\n",
                                    "def run(:\n"])
def test_an_entry_script_that_cannot_be_imported_is_a_note(tmp_path, monkeypatch, broken):
    folder = tmp_path / f"cards_broken_model_{len(broken)}"
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "entry_script.py").write_text(broken, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    notes = []
    assert entry_schema(folder, notes) == {}
    assert "could not be imported" in notes[0]
