"""The documents of an account registration (营业执照、身份证件、授权委托书; issue 14, 线下窗口核验).

Files are checked as every anonymous upload is (core/evidence.py: PDF, JPEG or PNG by content, 10 MB each;
`XINYONG_ANON_UPLOAD_MAX_FILES` files and `XINYONG_ANON_UPLOAD_MAX_BYTES` in all) and kept as intake keeps
uploads (settings.XINYONG_UPLOAD_DIR, a directory of 0700, files of 0600 created exclusively), under
`accounts/` with a random name; only the credit office reads them back, and each read is audited."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path, PurePath

from django.conf import settings
from django.db import transaction

from xinyong.accounts.models import AccountDocument
from xinyong.accounts.roles import OFFICE
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.core.evidence import KINDS, Upload, base_name


class DocumentKind:
    LICENCE = "licence"
    ID_CARD = "id_card"
    AUTHORISATION = "authorisation"


DOCUMENT_LABELS = {
    DocumentKind.LICENCE: "营业执照",
    DocumentKind.ID_CARD: "身份证件",
    DocumentKind.AUTHORISATION: "授权委托书",
}
# application kind → (required, optional) documents
DOCUMENTS = {
    "enterprise": ((DocumentKind.LICENCE,), (DocumentKind.AUTHORISATION,)),
    "person": ((DocumentKind.ID_CARD,), ()),
    "agent": ((DocumentKind.ID_CARD, DocumentKind.AUTHORISATION), ()),
}


def document_field(kind: str) -> str:
    """The form field (and error field) of a document kind: `doc_licence` …"""
    return f"doc_{kind}"


def document_root() -> Path:
    return Path(settings.XINYONG_UPLOAD_DIR) / "accounts"


def document_write(upload: Upload) -> tuple[str, str]:
    """Keep one checked upload; returns (stored name, content type). The caller removes it on failure."""
    root = document_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    suffix = PurePath(base_name(upload.name)).suffix.lower()
    stored = secrets.token_hex(16) + suffix
    with os.fdopen(os.open(root / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(upload.data)
    return stored, KINDS[suffix][0]


def documents_remove(stored_names: list[str]) -> None:
    for name in stored_names:
        (document_root() / name).unlink(missing_ok=True)


def document_read(
    *, actor: Actor, application_id: int, document_id: int, now: dt.datetime
) -> tuple[AccountDocument, bytes]:
    """A registration document (of that application) and its bytes, for the credit office only (it verifies
    them); audited `account.document_view` (who saw whose identity papers)."""
    actor.require(*OFFICE)
    document = AccountDocument.objects.filter(pk=document_id, application_id=application_id).first()
    path = document_root() / document.stored_name if document else None
    if document is None or path is None or not path.is_file():
        raise NotFound("account.document_not_found", f"申请材料 {document_id} 不存在")
    with transaction.atomic():
        audit_append(
            actor=actor, action="account.document_view", target_type="account_application",
            target_id=document.application_id, now=now,
            payload={"document": document.pk, "kind": document.kind, "sha256": document.sha256},
        )  # fmt: skip
    return document, path.read_bytes()
