"""What packages beside the core add to the registered files: absent, one line; failing, a
warning and nothing left in the staged copy; neither stops the registration."""
import pytest

from shared_code.amltoolbox.model_io import CARD_FOLDER
from shared_code.amltoolbox.promotion import registered_extras
from shared_code.amltoolbox.promotion.registered_extras import add_beside_the_model
from shared_code.amltoolbox.promotion.registry import RegistrationRequest


@pytest.fixture(name="staged")
def fixture_staged(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.pkl").write_bytes(b"model")
    return folder


def _request(staged) -> RegistrationRequest:
    return RegistrationRequest(name="model_x", model_dir=staged, sha256="s")


def test_an_absent_package_is_said_in_one_line(monkeypatch, staged, capsys):
    monkeypatch.setattr(registered_extras, "BESIDE_THE_MODEL",
                        {"shared_code.not_in_this_project.card:write": "model card"})
    assert not add_beside_the_model(_request(staged), staged, "model_x:1", dict)
    assert capsys.readouterr().err == ("no model card for model_x:1: "
                                       "shared_code.not_in_this_project.card is not in this "
                                       "project\n")


def test_a_failing_package_leaves_nothing_behind(mocker, staged, capsys):
    def half_written(_request, folder, _model_id, _describe):
        (folder / CARD_FOLDER).mkdir()
        (folder / CARD_FOLDER / "card.json").write_text("{", encoding="utf-8")
        raise RuntimeError("disk full")
    mocker.patch.object(registered_extras, "load_optional", return_value=half_written)
    assert not add_beside_the_model(_request(staged), staged, "model_x:1", dict)
    assert sorted(p.name for p in staged.iterdir()) == ["model.pkl"]
    assert "model_x:1 goes to the registry without its model card: RuntimeError: disk full" in (
        capsys.readouterr().err)


def test_what_a_package_writes_is_named_in_the_properties(mocker, staged):
    def card(request, folder, model_id, describe):
        (folder / CARD_FOLDER).mkdir()
        return {"model_card": f"{model_id} {request.name} {describe('d:1')}"}
    mocker.patch.object(registered_extras, "load_optional", return_value=card)
    assert add_beside_the_model(_request(staged), staged, "model_x:1", lambda d: d) == {
        "model_card": "model_x:1 model_x d:1"}
