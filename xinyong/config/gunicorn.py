"""gunicorn settings of `xinyong up` (issue 12: full resident IDs in lookup URLs reached the access log).

Used as ``gunicorn -c python:xinyong.config.gunicorn …``: the access log goes through
`xinyong.core.redact.RedactingGunicornLogger`, which masks every resident ID number (110105********002X) in
each atom of the line — request line, path, query string, referer, headers — before it is written. Django's
own log is masked by `RedactIdentityFilter` (settings.LOGGING); ADR 0004.
"""

logger_class = "xinyong.core.redact.RedactingGunicornLogger"
