"""The smoke test: a running service's answers to the model's samples, checked."""
import http.server
import json
import threading
import urllib.error

import pytest

from shared_code.amltoolbox.serving import smoke_test as smoke
from shared_code.amltoolbox.serving.smoke_test import (answer_problem, post_json, scoring_url,
                                                       smoke_test)

GOOD = {"predictions": [150.2, 99], "model": "model_a:3"}


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:5001", "http://127.0.0.1:5001/score"),
    ("http://127.0.0.1:5001/", "http://127.0.0.1:5001/score"),
    ("http://127.0.0.1:5001/score", "http://127.0.0.1:5001/score"),
    ("https://x.azureml.net/api/v1/service/s/score",
     "https://x.azureml.net/api/v1/service/s/score"),
])
def test_a_bare_server_url_means_its_scoring_route(url, expected):
    assert scoring_url(url) == expected


@pytest.mark.parametrize("url", ["127.0.0.1:5001", "ftp://host/score", "http://"])
def test_a_url_that_is_not_http_is_refused(url):
    with pytest.raises(ValueError, match="not an http"):
        scoring_url(url)


def test_a_well_formed_answer_has_no_problem():
    assert answer_problem(GOOD, 2, "model_a") is None


def test_more_outputs_per_row_are_allowed():
    answer = {**GOOD, "probabilities": [[0.2, 0.8], [0.6, 0.4]]}
    assert answer_problem(answer, 2, "model_a") is None


def test_the_key_of_a_service_with_auth_is_sent_as_a_bearer_token(mocker):
    post = _answers(mocker, *_well_formed())
    ok, _ = smoke_test("model_a", "https://svc.example/score", api_key="k3y")
    assert ok
    assert {call.args[2] for call in post.call_args_list} == {"k3y"}


@pytest.mark.parametrize("answer, fragment", [
    ([150.2], "expected an object"),
    ({"predictions": [1, 2]}, "expected an object with 'predictions' and 'model'"),
    ({**GOOD, "probabilities": [[0.1, 0.9]]}, "'probabilities' is not a list of one entry per row"),
    ({**GOOD, "extra": 1}, "'extra' is not a list of one entry per row"),
    ({**GOOD, "predictions": [1.0]}, "expected 2 prediction(s)"),
    ({**GOOD, "predictions": "1, 2"}, "got str"),
    ({**GOOD, "predictions": [1.0, "2"]}, "prediction 1 is '2'"),
    ({**GOOD, "predictions": [True, 1]}, "prediction 0 is True"),
    ({**GOOD, "predictions": [1.0, float("nan")]}, "not a finite number"),
    ({**GOOD, "model": "model_b:3"}, "expected model_a:<version>"),
    ({**GOOD, "model": "model_a:latest"}, "expected model_a:<version>"),
])
def test_a_malformed_answer_is_described(answer, fragment):
    assert fragment in answer_problem(answer, 2, "model_a")


def _answers(mocker, *answers):
    """post_json answering each sample in turn with (status, body)."""
    return mocker.patch.object(smoke, "post_json", side_effect=list(answers))


def _well_formed():
    """An answer of the right length to each of model_a's samples."""
    answers = []
    for sample in smoke.sample_files("model_a"):
        rows = len(json.loads(sample.read_text(encoding="utf-8"))["data"])
        answers.append((200, {"predictions": [100.0] * rows, "model": "model_a:2"}))
    return answers


def test_all_samples_answered_well_pass_with_a_one_line_verdict(mocker):
    answers = _well_formed()
    post = _answers(mocker, *answers)
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:5001")
    assert ok
    assert verdict.startswith(f"PASS model_a: {len(answers)} sample(s)")
    assert "model_a:2 at http://127.0.0.1:5001/score" in verdict
    assert "\n" not in verdict
    assert post.call_args.args[0] == "http://127.0.0.1:5001/score"


def test_an_error_status_fails_with_the_services_message(mocker):
    _answers(mocker, (400, {"message": "row 0 is missing bmi"}))
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:5001/score")
    assert not ok
    assert "got HTTP 400: row 0 is missing bmi" in verdict


def test_a_message_over_several_lines_still_gives_a_one_line_verdict(mocker):
    _answers(mocker, (500, "Internal error\n  Traceback:\n  ..."))
    assert smoke_test("model_a", "http://127.0.0.1:5001")[1].endswith(
        "got HTTP 500: Internal error Traceback: ...")


def test_a_malformed_answer_fails_naming_the_sample(mocker):
    _answers(mocker, (200, {"predictions": []}))
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:5001/score")
    assert not ok
    assert verdict.startswith(f"FAIL model_a: {smoke.sample_files('model_a')[0].name}:")


def test_an_unreachable_service_fails(mocker):
    mocker.patch.object(smoke, "post_json",
                        side_effect=urllib.error.URLError(ConnectionRefusedError("refused")))
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:9")
    assert not ok
    assert "cannot reach http://127.0.0.1:9/score" in verdict


def test_a_bad_url_fails_without_posting(mocker):
    post = _answers(mocker)
    assert smoke_test("model_a", "localhost:5001") == (
        False, "FAIL model_a: 'localhost:5001' is not an http(s) URL; give e.g. "
               "http://127.0.0.1:5001/score")
    post.assert_not_called()


def test_a_model_without_samples_fails_saying_where_to_put_them(mocker, tmp_path):
    mocker.patch.object(smoke, "TESTING_DIR", tmp_path)
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:5001")
    assert not ok
    assert f"no sample requests in {tmp_path / 'model_a' / 'testing_samples'}" in verdict


@pytest.mark.parametrize("text, fragment", [('{"rows": []}', "is not a request"),
                                             ("{data: [", "is not valid JSON")])
def test_a_sample_that_is_not_a_request_fails(mocker, tmp_path, text, fragment):
    (tmp_path / "model_a" / "testing_samples").mkdir(parents=True)
    (tmp_path / "model_a" / "testing_samples" / "broken.json").write_text(text, encoding="utf-8")
    mocker.patch.object(smoke, "TESTING_DIR", tmp_path)
    ok, verdict = smoke_test("model_a", "http://127.0.0.1:5001")
    assert not ok
    assert f"broken.json {fragment}" in verdict


class _Answering(http.server.BaseHTTPRequestHandler):
    """Answers a POST with the status and body named in its path: /<status>/<body>, or
    with the Authorization header it got (as JSON) on /auth."""

    def do_POST(self):  # pylint: disable=invalid-name
        """The answer the path asks for."""
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/auth":
            status, body = 200, json.dumps(self.headers.get("Authorization"))
        else:
            _, status, body = self.path.split("/", 2)
        self.send_response(int(status))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):  # pylint: disable=arguments-differ
        """Quiet."""


@pytest.fixture(name="answering_url")
def fixture_answering_url():
    """A tiny HTTP server on loopback, stopped after the test."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Answering)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path, expected", [
    ("/200/[1.5]", (200, [1.5])),
    ("/503/busy", (503, "busy")),
    ("/400/[false]", (400, [False])),
])
def test_post_json_returns_the_status_and_the_answer_decoded_when_it_is_json(answering_url,
                                                                            path, expected):
    assert post_json(answering_url + path, {"data": []}) == expected


@pytest.mark.parametrize("api_key, header", [(None, None), ("k3y", "Bearer k3y")])
def test_post_json_sends_the_key_as_a_bearer_token_only_when_there_is_one(answering_url,
                                                                          api_key, header):
    assert post_json(answering_url + "/auth", {"data": []}, api_key) == (200, header)
