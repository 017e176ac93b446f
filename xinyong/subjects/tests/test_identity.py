"""Resident-ID protection: keyed hash for lookup, Fernet for recovery, independent derived keys."""

import pytest

from tests.support.factories import make_ric
from xinyong.subjects import identity


def test_hash_is_keyed_stable_and_hex():
    number = make_ric(1)
    digest = identity.person_hash(number)
    assert digest == identity.person_hash(number) and len(digest) == 64 and int(digest, 16) >= 0
    assert digest != identity.person_hash(make_ric(2))


def test_hash_depends_on_the_identity_key(settings):
    number = make_ric(1)
    before = identity.person_hash(number)
    settings.IDENTITY_KEY = "another-key"
    assert identity.person_hash(number) != before


def test_encrypt_round_trip_and_no_clear_text():
    number = make_ric(3)
    cipher = identity.person_encrypt(number)
    assert number not in cipher and number[:14] not in cipher
    assert identity.person_decrypt(cipher) == number
    assert identity.person_encrypt(number) != cipher  # random IV


def test_decrypt_with_another_key_fails(settings):
    cipher = identity.person_encrypt(make_ric(3))
    settings.IDENTITY_KEY = "another-key"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        identity.person_decrypt(cipher)


def test_hash_and_encryption_keys_are_derived_separately(settings):
    hash_key = identity._derive(settings.IDENTITY_KEY, identity._HASH_INFO)
    cipher_key = identity._derive(settings.IDENTITY_KEY, identity._CIPHER_INFO)
    assert hash_key != cipher_key and len(hash_key) == len(cipher_key) == 32
