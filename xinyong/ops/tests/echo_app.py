"""A WSGI app for the front's tests, served by a real gunicorn: it tells what the request looked like there."""

import json


def app(environ, start_response):
    if environ["PATH_INFO"] == "/stream":  # no Content-Length: gunicorn sends it chunked
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (b"%d\n" % i for i in range(1000))
    body = json.dumps(
        {
            "remote_addr": environ.get("REMOTE_ADDR"),
            "x_forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "x_forwarded_proto": environ.get("HTTP_X_FORWARDED_PROTO"),
            "scheme": environ["wsgi.url_scheme"],
            "length": len(environ["wsgi.input"].read()),
            "path": environ["PATH_INFO"],
        }
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
