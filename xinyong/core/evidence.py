"""Evidence files (证明材料) for objections, repairs and dishonesty reports (docs/domain.md: "evidence files,
type and size limited"). A file is accepted only if its content is what its name says (PDF, JPEG, PNG, by
magic bytes) and it is at most `MAX_BYTES`; an application takes at most `MAX_FILES`. Refusals name the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from xinyong.core.errors import DomainError, NotFound
from xinyong.core.hygiene import upload_name
from xinyong.core.models import EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# suffix → (content type, magic prefix)
KINDS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


@dataclass(frozen=True)
class Upload:
    """One file as received: its name and bytes (interfaces build these from multipart uploads)."""

    name: str
    data: bytes
    size: int | None = None  # the size as received, when `data` holds only its first MAX_BYTES + 1 bytes

    @property
    def received_bytes(self) -> int:
        return len(self.data) if self.size is None else self.size


def uploads_read(files) -> list[Upload]:
    """Uploaded files (anything with `.name` and `.read(n)`, as Django's UploadedFile) as Uploads, each read
    to at most one byte past `MAX_BYTES`: an oversize file is refused by `evidence_check` by name, and is
    never held in memory whole. Names are kept without their directory and shortened (core/hygiene.py)."""
    return [Upload(name=upload_name(f.name), data=f.read(MAX_BYTES + 1), size=f.size) for f in files or []]


def evidence_check(files: list[Upload]) -> None:
    """Refuse (400, per-file errors) unless every file is an allowed type, matches its content, and fits."""
    if len(files) > MAX_FILES:
        raise DomainError("evidence.too_many", f"证明材料最多 {MAX_FILES} 个，实为 {len(files)} 个")
    errors = [error for index, upload in enumerate(files) if (error := _error(index, upload))]
    if errors:
        message = "证明材料不符合要求：" + "；".join(e["message"] for e in errors)
        raise DomainError("evidence.invalid", message, errors=errors)


def anonymous_uploads_check(files: list[Upload]) -> None:
    """An anonymous filer's files, per request (issue 12: ten 10 MiB files per anonymous tipoff): at most
    `XINYONG_ANON_UPLOAD_MAX_FILES` files and `XINYONG_ANON_UPLOAD_MAX_BYTES` in all (413). Quotas per
    source and day are the rate limiter's."""
    from django.conf import settings

    most, total = settings.XINYONG_ANON_UPLOAD_MAX_FILES, sum(f.received_bytes for f in files)
    if len(files) > most:
        raise DomainError("evidence.too_many", f"匿名提交的证明材料最多 {most} 个，实为 {len(files)} 个", 413)
    if total > settings.XINYONG_ANON_UPLOAD_MAX_BYTES:
        limit = settings.XINYONG_ANON_UPLOAD_MAX_BYTES
        raise DomainError(
            "evidence.too_large", f"匿名提交的证明材料合计不得超过 {limit} 字节，实为 {total} 字节", 413
        )


def _error(index: int, upload: Upload) -> dict | None:
    name = base_name(upload.name)
    kind = KINDS.get(PurePath(name).suffix.lower())
    field = f"files[{index}]"
    if kind is None:
        message = f"{name or '（无文件名）'}：只接受 PDF、JPG、PNG 文件"
        return {"field": field, "code": "type", "message": message}
    if not upload.data:
        return {"field": field, "code": "empty", "message": f"{name}：文件为空"}
    if len(upload.data) > MAX_BYTES:
        message = f"{name}：超过 {MAX_BYTES // (1024 * 1024)} MB（{upload.received_bytes} 字节）"
        return {"field": field, "code": "size", "message": message}
    if not upload.data.startswith(kind[1]):
        return {"field": field, "code": "content", "message": f"{name}：文件内容与扩展名不符"}
    return None


def base_name(name: str) -> str:
    """The file name without any directory part, Windows or POSIX (old browsers send `C:\\扫描\\a.pdf`)."""
    return re.split(r"[\\/]", name or "")[-1].strip()


def evidence_store(*, files: list[Upload], purpose: str, actor_label: str, now: dt.datetime) -> list[int]:
    """Check and store the files in the caller's transaction; returns their ids in order."""
    evidence_check(files)
    stored = []
    for upload in files:
        name = base_name(upload.name)
        stored.append(
            EvidenceFile.objects.create(
                sha256=hashlib.sha256(upload.data).hexdigest(),
                name=name[:200],
                content_type=KINDS[PurePath(name).suffix.lower()][0],
                size=len(upload.data),
                data=upload.data,
                purpose=purpose,
                uploaded_by=actor_label,
                uploaded_at=now,
            ).pk
        )
    return stored


def evidence_describe(ids: list[int]) -> list[dict]:
    """Name, type, size and hash of stored files (never their bytes), in the given order."""
    rows = {
        f.pk: f
        for f in EvidenceFile.objects.filter(pk__in=ids).only("name", "content_type", "size", "sha256")
    }
    return [
        {"id": i, "name": rows[i].name, "content_type": rows[i].content_type, "size": rows[i].size,
         "sha256": rows[i].sha256}
        for i in ids
        if i in rows
    ]  # fmt: skip


def evidence_open(file_id: int, *, among: list[int]) -> EvidenceFile:
    """One stored file, bytes included, if it is among the case's files (`among`); otherwise the same 404 as
    for a file that does not exist. Callers check who may see the case and audit the read."""
    found = EvidenceFile.objects.filter(pk=file_id).first() if file_id in among else None
    if found is None:
        raise NotFound("evidence.not_found", f"证明材料 {file_id} 不存在")
    return found
