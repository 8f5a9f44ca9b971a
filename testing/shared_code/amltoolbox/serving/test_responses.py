"""4xx answers as the inference server gives them: JSON {"message": ...}."""
import json
import sys

import flask
from azureml_inference_server_http.api.aml_response import AMLResponse
from azureml_inference_server_http.server.input_parsers import JsonStringInput, ObjectInput

from shared_code.amltoolbox.serving import responses
from shared_code.amltoolbox.serving.responses import (error_response, reject_undecodable_bodies,
                                                      require_json_bodies, score_or_reject)
from shared_code.amltoolbox.serving.validation import ClientError


def test_an_error_response_is_the_servers_json_message():
    response = error_response(413, "too many rows")
    assert isinstance(response, AMLResponse)
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == {"message": "too many rows"}


def test_a_score_is_returned_as_it_is():
    assert score_or_reject(lambda data: {"predictions": data}, [1]) == {"predictions": [1]}


def test_a_client_error_becomes_its_4xx_response():
    def score(data):
        raise ClientError(f"bad {data}", 415)
    response = score_or_reject(score, "x")
    assert response.status_code == 415
    assert json.loads(response.get_data()) == {"message": "bad x"}


def test_undecodable_bodies_need_nothing_outside_the_server(mocker):
    mocker.patch.dict(sys.modules)
    sys.modules.pop(responses.SERVER_ROUTES_MODULE, None)
    reject_undecodable_bodies()
    assert responses.SERVER_ROUTES_MODULE not in sys.modules


def test_inside_the_server_undecodable_bodies_get_a_400(mocker):
    routes = mocker.Mock()
    mocker.patch.dict(sys.modules, {responses.SERVER_ROUTES_MODULE: routes})
    reject_undecodable_bodies()
    handlers = dict(call.args for call in
                    routes.main_blueprint.register_error_handler.call_args_list)
    assert set(handlers) == {ValueError, RecursionError}
    for error_class, error in ((ValueError, UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")),
                               (RecursionError, RecursionError("maximum recursion depth"))):
        response = handlers[error_class](error)
        assert response.status_code == 400
        assert "could not be decoded as JSON" in json.loads(response.get_data())["message"]


def test_an_init_called_after_the_server_set_up_its_routes_changes_nothing(mocker):
    routes = mocker.Mock()
    routes.main_blueprint.register_error_handler.side_effect = AssertionError("already set up")
    mocker.patch.dict(sys.modules, {responses.SERVER_ROUTES_MODULE: routes})
    reject_undecodable_bodies()
    routes.main_blueprint.register_error_handler.assert_called_once()


def _server_routes(mocker, parser) -> object:
    routes = mocker.Mock()
    routes.main_blueprint.user_script.input_parser = parser
    mocker.patch.dict(sys.modules, {responses.SERVER_ROUTES_MODULE: routes})
    return routes.main_blueprint


def test_a_run_given_the_body_as_text_gets_its_body_checked_as_json_first(mocker):
    blueprint = _server_routes(mocker, JsonStringInput("data"))
    require_json_bodies()
    check = blueprint.before_request.call_args.args[0]
    app = flask.Flask(__name__)
    with app.test_request_context("/score", method="POST", data=b'{"data": [1]}'):
        assert check() is None
    for body in (b"", b"{", b'"\xff"', b"[" * 5000 + b"]" * 5000):
        with app.test_request_context("/score", method="POST", data=body):
            answer = check()
            assert answer.status_code == 400
            assert "could not be decoded as JSON" in json.loads(answer.get_data())["message"]
    with app.test_request_context("/score?data=1", method="GET"):
        assert check() is None


def test_a_run_that_parses_or_reads_the_request_itself_is_left_as_it_is(mocker):
    blueprint = _server_routes(mocker, ObjectInput([]))
    require_json_bodies()
    blueprint.before_request.assert_not_called()
