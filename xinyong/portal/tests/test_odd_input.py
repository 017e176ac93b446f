"""No public page answers 500 to odd input (issue 15 "no 500s"): odd queries, cursors, codes and ids."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ODD = [
    "0",
    "-1",
    "99999999999999999999",
    "%00",
    "ａｂｃ",
    "京" * 300,
    "' OR 1=1 --",
    "null",
    "%E4",
    "<script>",
]


@pytest.mark.parametrize("value", ODD)
def test_odd_values(reference, value):
    client = Client()
    answers = {
        "q": client.get("/search/", {"q": value}).status_code,
        "after": client.get("/search/", {"q": "华信", "after": value}).status_code,
        "view": client.get("/subjects/91110108000123457G/", {"view": value}).status_code,
        "code": client.get(f"/subjects/{value}/").status_code,
        "record": client.get(f"/records/{value}/").status_code,
    }
    assert all(status < 500 for status in answers.values()), answers


def test_a_query_is_escaped(reference):
    page = Client().get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
