"""Recovery codes kept as keyed hashes (accounts/mfa.py's docstring): every code django-otp kept in plain text
is replaced by its digest, so the codes of a live database keep working, once each.

The digest is repeated here (ADR 0025: a migration imports no app code); it must stay what
`xinyong.accounts.mfa.recovery_code_digest` computes under the current SECRET_KEY. A digest is 16 upper-case
base32 characters, a code django-otp made is 8 lower-case ones, so a row already hashed is left alone and
the migration may run twice. Going back leaves the digests: codes cannot be recovered from them, so after a
reverse the old codes are refused and users make new ones at /accounts/mfa/.
"""

import re
from base64 import b32encode

from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "xinyong.accounts.mfa.recovery_code"
DIGEST = re.compile(r"[A-Z2-7]{16}")


def digest(code: str) -> str:
    return b32encode(salted_hmac(SALT, code, algorithm="sha256").digest()[:10]).decode()


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for pk, token in StaticToken.objects.values_list("pk", "token").order_by("pk").iterator():
        if not DIGEST.fullmatch(token):
            StaticToken.objects.filter(pk=pk).update(token=digest(token.strip().lower()))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_people_agents_applications_oidc"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
