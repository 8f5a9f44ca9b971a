"""models card NAME[:VERSION] [--html FILE | --md FILE]."""
import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.model_monitoring.card_hook import after_registration


@pytest.fixture(name="recorded_env")
def fixture_recorded_env(recorded, monkeypatch):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(recorded.root))
    return recorded


def test_a_version_registered_without_a_card_gets_one_made_now_and_says_so(recorded_env,
                                                                           capsys):
    status, out, err = run_cli(capsys, "models", "card", "model_a:1")
    assert status == 0
    assert out.startswith("# Model card: model_a:1\n") and recorded_env.training in out
    assert "registered without a model card: this one is made now" in err


def test_the_card_written_at_registration_is_the_one_shown(recorded_env, capsys):
    after_registration(recorded_env.root, "model_a:1")
    capsys.readouterr()
    status, out, err = run_cli(capsys, "models", "card", "model_a")  # the latest version
    assert status == 0 and err == "" and "# Model card: model_a:1" in out


@pytest.mark.parametrize("option,start", [("--md", "# Model card: model_a:1"),
                                          ("--html", "<!DOCTYPE html>")])
@pytest.mark.usefixtures("recorded_env")
def test_the_card_is_written_to_a_file(capsys, tmp_path, option, start):
    target = tmp_path / "out" / "card"
    status, out, _ = run_cli(capsys, "models", "card", "model_a:1", option, str(target))
    assert status == 0 and out.strip() == f"wrote {target}"
    assert target.read_text(encoding="utf-8").startswith(start)
    assert [p.name for p in target.parent.iterdir()] == ["card"]  # no temporary file left


@pytest.mark.parametrize("reference,message", [("model_a:2", "no version 2 of model 'model_a'"),
                                               ("model_a:x", "is not a model NAME or "
                                                             "NAME:VERSION"),
                                               ("nobody", "no model 'nobody'")])
@pytest.mark.usefixtures("recorded_env")
def test_a_model_that_is_not_registered_exits_2_saying_so(capsys, reference, message):
    status, _, err = run_cli(capsys, "models", "card", reference)
    assert status == 2 and message in err


@pytest.mark.usefixtures("recorded_env")
def test_html_and_md_together_are_refused(capsys):
    status, _, err = run_cli(capsys, "models", "card", "model_a", "--md", "a", "--html", "b")
    assert status == 2 and "not allowed with argument" in err
