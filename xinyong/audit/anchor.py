"""Signed checkpoints of the audit chain's head, kept outside the database (issue 12; ADR 0019).

The hash chain (ADR 0003) shows an edit by someone who cannot recompute hashes; whoever holds the database
credentials can recompute them all and move `audit_head` too. A checkpoint is (seq, hash, time) signed with
Ed25519 under a key that is not in the database (XINYONG_AUDIT_ANCHOR_KEY, else `audit_anchor_key` under
XINYONG_HOME), one JSON line appended to a file (XINYONG_AUDIT_ANCHOR_FILE, default `audit_anchors.jsonl`
under XINYONG_HOME). `xinyong audit verify` checks every line's signature and that the chain still holds each
anchored (seq, hash): a chain rewritten before an anchored head no longer contains that head.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

MAGIC = "xinyong-audit-anchor-v1"
KEY_FILE = "audit_anchor_key"


class AnchorError(Exception):
    """The checkpoint file cannot be trusted or used (Chinese message)."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    line: int = 0


def anchor_file() -> Path:
    return Path(settings.XINYONG_AUDIT_ANCHOR_FILE)


def _secret(*, create: bool) -> str | None:
    if settings.XINYONG_AUDIT_ANCHOR_KEY:
        return settings.XINYONG_AUDIT_ANCHOR_KEY
    path = Path(settings.XINYONG_HOME) / KEY_FILE
    if create and not path.exists():
        _key_create(path)
    return path.read_text().strip() if path.exists() else None


def _key_create(path: Path) -> None:
    """A new random key, mode 0600, put in place whole (a hard link fails if another process won the race,
    and nobody reads a half-written key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(32))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _private_key(secret: str) -> Ed25519PrivateKey:
    """Any secret string → an Ed25519 key (the seed is the secret's SHA-256)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(secret.encode()).digest())


def _message(seq: int, head_hash: str, at: str) -> bytes:
    return f"{MAGIC}\n{seq}\n{head_hash}\n{at}".encode()


def checkpoint_sign(*, seq: int, head_hash: str, now: dt.datetime) -> str:
    """The JSON line of a checkpoint of (seq, hash) at `now`, signed with the anchor key."""
    at = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    sig = _private_key(_secret(create=True)).sign(_message(seq, head_hash, at))
    body = {"seq": seq, "hash": head_hash, "at": at, "sig": base64.b64encode(sig).decode()}
    return json.dumps(body, separators=(",", ":"))


def checkpoint_append(line: str) -> None:
    """Append one line and fsync it (O_APPEND: concurrent anchoring processes do not interleave lines)."""
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoints_read() -> list[Checkpoint]:
    """Every checkpoint in the file, each signature checked; [] when there is no file yet."""
    path = anchor_file()
    if not path.exists():
        return []
    public = _existing_public_key(path)
    with path.open(encoding="utf-8") as fh:
        return [_checked(public, text, n) for n, text in enumerate(fh, start=1) if text.strip()]


def checkpoint_last() -> Checkpoint | None:
    """The file's last checkpoint, signature checked, read from the end (the file grows for years)."""
    path = anchor_file()
    if not path.exists():
        return None
    with path.open("rb") as fh:
        fh.seek(max(fh.seek(0, os.SEEK_END) - 4096, 0))
        lines = [x for x in fh.read().decode("utf-8", "replace").splitlines() if x.strip()]
    if not lines:
        return None
    return _checked(_existing_public_key(path), lines[-1], 0)


def _existing_public_key(path: Path) -> Ed25519PublicKey:
    """The key the existing checkpoints were signed with; never a new one (that would fail every line)."""
    secret = _secret(create=False)
    if secret is None:
        raise AnchorError(
            f"检查点文件 {path} 存在，但找不到锚定密钥（XINYONG_AUDIT_ANCHOR_KEY 或 {KEY_FILE}）"
        )
    return _private_key(secret).public_key()


def line_name(line: int) -> str:
    return f"第 {line} 行" if line else "最后一行"


def _checked(public: Ed25519PublicKey, text: str, line: int) -> Checkpoint:
    try:
        body = json.loads(text)
        point = Checkpoint(int(body["seq"]), str(body["hash"]), str(body["at"]), line)
        public.verify(base64.b64decode(body["sig"], validate=True), _message(point.seq, point.hash, point.at))
    except InvalidSignature as exc:
        raise AnchorError(f"检查点文件{line_name(line)}签名无效（检查点被篡改，或锚定密钥已更换）") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"检查点文件{line_name(line)}格式错误") from exc
    return point
