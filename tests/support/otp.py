"""Sign a test client into the back office (issue 14): the admin opens only to a session that passed the
second factor, so tests that use `force_login` mark the session verified with a confirmed authenticator of
the user, as django-otp's own login does (`django_otp.login`). The login pages themselves are tested through
their forms (accounts/tests/test_signin.py)."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_login(client, user):
    """`client.force_login(user)` plus a verified second factor; returns the client."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
