"""The committed OpenAPI document is the API's contract: a change to the API must be reviewed with it.
Regenerate with `xinyong openapi -o docs/openapi.json` and review the diff."""

from pathlib import Path

import pytest
from django.test import Client

from xinyong.ops.management.commands.openapi import openapi_text

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_openapi_document_matches_the_committed_one():
    assert openapi_text() == COMMITTED.read_text(encoding="utf-8"), (
        "API changed: run `xinyong openapi -o docs/openapi.json` and review the diff"
    )


@pytest.mark.django_db
def test_openapi_and_docs_are_served():
    client = Client()
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    operation_ids = {op["operationId"] for path in doc.json()["paths"].values() for op in path.values()}
    assert {"subjects_get", "catalog_categories_list", "units_list", "plan_tasks_list"} <= operation_ids
    assert client.get("/api/v1/docs").status_code == 200
