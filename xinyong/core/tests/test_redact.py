"""Resident ID numbers never reach the logs in clear."""

import logging

from xinyong.core.redact import RedactIdentityFilter, RedactingGunicornLogger, redact


def test_redact_masks_ids_in_paths_and_leaves_other_codes():
    assert redact("/api/v1/subjects/11010519491231002X") == "/api/v1/subjects/110105********002X"
    assert (
        redact("GET /api/v1/subjects/110105194912310021?x=1") == "GET /api/v1/subjects/110105********0021?x=1"
    )
    assert redact("/api/v1/subjects/91110000802100433B") == "/api/v1/subjects/91110000802100433B"
    assert redact("order 1234567890123456789012") == "order 1234567890123456789012"


def test_django_request_log_is_masked(caplog):
    logger = logging.getLogger("xinyong.test.redact")
    logger.addFilter(RedactIdentityFilter())
    with caplog.at_level(logging.WARNING):
        logger.warning("Not Found: %s", "/api/v1/subjects/11010519491231002X")
    assert caplog.messages == ["Not Found: /api/v1/subjects/110105********002X"]


def test_gunicorn_access_atoms_are_masked():
    class Cfg:
        errorlog, accesslog, loglevel, capture_output, syslog, logconfig = (
            "-",
            "-",
            "info",
            False,
            False,
            None,
        )
        logconfig_dict, logconfig_json, user, group, disable_redirect_access_to_syslog = {}, None, 0, 0, False
        access_log_format = '%(h)s "%(r)s"'
        env = {}

    class Req:
        method, path, query, uri, version, headers = (
            "GET",
            "/api/v1/subjects/11010519491231002X",
            "",
            "",
            (1, 1),
            [],
        )

    class Resp:
        status, headers, response_length, sent = "404 Not Found", [], 10, 10

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/subjects/11010519491231002X",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/api/v1/subjects/11010519491231002X",
        "QUERY_STRING": "",
    }
    logger = RedactingGunicornLogger.__new__(RedactingGunicornLogger)
    logger.cfg = Cfg()
    import datetime

    atoms = logger.atoms(Resp(), Req(), environ, datetime.timedelta(seconds=0.01))
    assert "11010519491231002X" not in repr(atoms)
    assert atoms["U"] == "/api/v1/subjects/110105********002X"
