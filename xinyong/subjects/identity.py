"""Protection of resident identity numbers (GB 11643-1999) at rest (docs/domain.md Subject, principle 6).

The full number is never stored in clear. Two keys are derived from `settings.IDENTITY_KEY` with HKDF
(RFC 5869, SHA-256) under different `info` labels, so the lookup key and the encryption key are
independent: `person_hash` is an HMAC-SHA256 (a keyed hash, so the 18-digit space cannot be enumerated
without the key) used for exact lookups; `person_encrypt` is Fernet (AES-128-CBC + HMAC) for the rare
authorised disclosure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_HASH_INFO = b"xinyong/person-hash/v1"
_CIPHER_INFO = b"xinyong/person-cipher/v1"


@lru_cache(maxsize=8)
def _derive(master: str, info: bytes) -> bytes:
    """32 bytes for one purpose, derived from the master secret with HKDF-SHA256."""
    if not master:
        raise RuntimeError("settings.IDENTITY_KEY is empty: resident IDs cannot be protected")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master.encode())


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(settings.IDENTITY_KEY, _CIPHER_INFO)))


def person_hash(number: str) -> str:
    """Keyed HMAC-SHA256 (hex) of a normalised resident ID: the lookup key, stable across restarts."""
    key = _derive(settings.IDENTITY_KEY, _HASH_INFO)
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def person_encrypt(number: str) -> str:
    """Encrypt a resident ID (Fernet token, ASCII)."""
    return _fernet().encrypt(number.encode()).decode()


def person_decrypt(cipher: str) -> str:
    """Decrypt a token made by `person_encrypt`; a wrong key or a damaged token is a ValueError."""
    try:
        return _fernet().decrypt(cipher.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("resident ID cipher cannot be decrypted with the current IDENTITY_KEY") from exc
