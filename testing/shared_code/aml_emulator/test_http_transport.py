"""The emulated service's door: requests to the emulated hosts are answered in-process by the
route that matches them; any other host is refused, as on a machine without network."""
import pytest
import requests

from shared_code.aml_emulator.http_transport import (EmulatedResponse, Route,
                                                     serve)
from shared_code.aml_emulator.identity import SERVICE_HOST, STORAGE_HOST

ECHO_ROUTES = (
    Route("GET", SERVICE_HOST, "/things/{thing}/files/{path}",
          lambda store, request: EmulatedResponse(body={**request.params, "q": request.query})),
    Route("PUT", STORAGE_HOST, "/{container}/{path}",
          lambda store, request: EmulatedResponse(201, request.body)),
)


def test_a_route_answers_with_the_path_parameters_it_matched():
    with serve(None, ECHO_ROUTES):
        answer = requests.get(f"https://{SERVICE_HOST}/things/a%20b/files/x/y.png?v=2",
                              timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"thing": "a b", "path": "x/y.png", "q": {"v": "2"}}


def test_bytes_sent_are_the_bytes_a_route_receives():
    with serve(None, ECHO_ROUTES):
        answer = requests.put(f"https://{STORAGE_HOST}/box/deep/file.bin", data=b"\x00\x01",
                              timeout=10)
    assert (answer.status_code, answer.content) == (201, b"\x00\x01")


def test_a_request_no_route_answers_gets_a_501_naming_it(capsys):
    with serve(None, ECHO_ROUTES):
        answer = requests.delete(f"https://{SERVICE_HOST}/things/a/files/b", timeout=10)
    assert answer.status_code == 501
    assert "no answer for DELETE" in answer.json()["error"]["message"]
    assert "service_standins.py" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["https://management.core.windows.net/x",
                                 "https://dc.services.visualstudio.com/v2/track"])
def test_any_other_host_is_refused(url):
    with serve(None, ECHO_ROUTES), pytest.raises(requests.ConnectionError, match="no network"):
        requests.get(url, timeout=10)


def test_the_transport_is_restored_afterwards():
    before = requests.adapters.HTTPAdapter.send
    with serve(None, ECHO_ROUTES):
        assert requests.adapters.HTTPAdapter.send is not before
    assert requests.adapters.HTTPAdapter.send is before
