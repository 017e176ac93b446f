"""Issue 14: subjects sign in through OpenID Connect — against a REAL provider (django-oauth-toolkit in a
second process, tests/oidc.py), the platform driven by Django's test client, the provider by urllib.

Matching rule (portal/oidc/match.py): the verified USCC or resident ID the provider asserts names the subject;
the first sign-in links an account, later ones find it by (issuer, sub); refusals are explained in Chinese
and audited; a clear resident ID is stored nowhere."""

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import serializers

from tests.oidc import oidc_provider, sign_in  # noqa: F401 - the fixture
from tests.support.factories import PersonFactory, SubjectFactory, make_ric, make_uscc
from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import user_actor
from xinyong.accounts.models import OidcIdentity, SubjectAccount, User
from xinyong.audit.models import AuditEvent
from xinyong.subjects.identifiers import ric_mask

CLIENT_ID, SECRET = "xinyong-tests", "a-client-secret-for-the-tests"
PASSWORD = "provider-password-1"
FIRM = make_uscc(801)
OTHER_FIRM = make_uscc(802)
UNKNOWN_FIRM = make_uscc(803)
BAD_FIRM = FIRM[:-1] + ("0" if FIRM[-1] != "0" else "1")
PERSON = make_ric(801)
MINOR = make_ric(5, birth=dt.date.today() - dt.timedelta(days=365 * 17))
USERS = {
    "firm": {"name": "李经理", "uscc": FIRM, "uscc_verified": True},
    "firm-again": {"name": "周会计", "uscc": FIRM, "uscc_verified": "true"},
    "firm-unverified": {"uscc": FIRM, "uscc_verified": False},
    "firm-unknown": {"uscc": UNKNOWN_FIRM, "uscc_verified": True},
    "firm-invalid": {"uscc": BAD_FIRM, "uscc_verified": True},
    "person": {"name": "张三", "id_card": PERSON, "id_card_verified": True, "sub": PERSON},
    "person-unverified": {"name": "张三", "id_card": PERSON},
    "minor": {"name": "小明", "id_card": MINOR, "id_card_verified": True},
    "nameless": {"name": "王五"},
    "switcher": {"uscc": FIRM, "uscc_verified": True},
}


@pytest.fixture(scope="module")
def provider(oidc_provider):  # noqa: F811
    oidc_provider.add_users(*((name, PASSWORD, claims) for name, claims in USERS.items()))
    oidc_provider.add_client(CLIENT_ID, SECRET, "http://testserver/accounts/oidc/callback/")
    return oidc_provider


@pytest.fixture
def oidc_on(settings, provider):
    for name, value in provider.platform_settings(CLIENT_ID, SECRET).items():
        setattr(settings, name, value)
    return provider


@pytest.fixture
def firm(db):
    return SubjectFactory(name="北京晨光印刷有限公司", uscc=FIRM)


@pytest.fixture
def person(db):
    return PersonFactory(name="张三", resident_id=PERSON)


def _signed_in_user(client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def _refused(response, code: str) -> str:
    assert response.status_code == 403, response.content.decode()
    body = response.content.decode()
    assert f'data-code="{code}"' in body
    return body


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@pytest.mark.django_db
def test_a_firm_signs_in_first_time_linked_then_found_by_issuer_and_sub(client, oidc_on, firm):
    response = sign_in(client, "firm", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/me/"
    user = _signed_in_user(client)
    assert user.full_name == "李经理" and not user.has_usable_password() and user.roles == ["subject"]
    identity = OidcIdentity.objects.get(user=user)
    assert identity.issuer == oidc_on.issuer and identity.sub.isdigit()  # the provider's user id
    account = SubjectAccount.objects.get(user=user)
    assert (account.subject_id, account.method, account.verified_by) == (
        firm.pk,
        "oidc",
        f"oidc:{oidc_on.issuer}",
    )
    assert subject_id_of(actor=user_actor(user)) == firm.pk  # the session's actor is the firm
    assert client.session["_auth_user_backend"] == "xinyong.portal.oidc.backend.OidcBackend"
    link, login = _events("account.oidc_link"), _events("account.oidc_login")
    assert [(e.actor, e.target_type, e.target_id) for e in link] == [
        (f"user:{user.pk}", "subject", str(firm.pk))
    ]
    assert link[0].payload == {"user": user.pk, "issuer": oidc_on.issuer, "method": "oidc"}
    assert [e.payload for e in login] == [{"issuer": oidc_on.issuer, "subject": firm.pk}]

    client.logout()
    again = sign_in(client, "firm", PASSWORD, next_url="/progress/")
    assert again.status_code == 302 and again["Location"] == "/progress/"
    assert _signed_in_user(client) == user
    assert User.objects.filter(oidc_identities__isnull=False).count() == 1
    assert len(_events("account.oidc_link")) == 1 and len(_events("account.oidc_login")) == 2
    assert OidcIdentity.objects.get(pk=identity.pk).last_login_at > identity.last_login_at


@pytest.mark.django_db
def test_two_people_of_one_firm_get_two_accounts_of_the_firm(client, oidc_on, firm):
    sign_in(client, "firm", PASSWORD)
    client.logout()
    sign_in(client, "firm-again", PASSWORD)  # uscc_verified as the string "true"
    assert _signed_in_user(client).full_name == "周会计"
    assert sorted(SubjectAccount.objects.values_list("subject_id", flat=True)) == [firm.pk, firm.pk]


@pytest.mark.django_db
def test_a_person_signs_in_and_no_clear_resident_id_is_stored(client, oidc_on, person):
    response = sign_in(client, "person", PASSWORD)
    assert response.status_code == 302
    user = _signed_in_user(client)
    assert SubjectAccount.objects.get(user=user).subject_id == person.pk
    identity = OidcIdentity.objects.get(user=user)
    assert identity.sub.startswith("ric-hmac:")  # the provider's sub IS the number: kept only hashed
    stored = serializers.serialize(
        "json",
        [
            *User.objects.all(),
            *OidcIdentity.objects.all(),
            *SubjectAccount.objects.all(),
            *AuditEvent.objects.all(),
        ],
    )
    assert PERSON not in stored and PERSON[:17] not in stored


@pytest.mark.parametrize(
    ("username", "code", "message"),
    [
        (
            "firm-unverified",
            "oidc.unverified",
            "统一身份认证平台未确认该统一社会信用代码已经实名核验，暂不能登录。",
        ),
        (
            "person-unverified",
            "oidc.unverified",
            "统一身份认证平台未确认该公民身份号码已经实名核验，暂不能登录。",
        ),
        (
            "firm-unknown",
            "oidc.unknown_subject",
            f"本平台的信用主体名录中没有该统一社会信用代码（{UNKNOWN_FIRM}）对应的法人或其他组织",
        ),
        ("firm-invalid", "oidc.invalid_code", "统一身份认证平台提供的统一社会信用代码无效："),
        ("minor", "oidc.minor", "个人账户只向年满 18 周岁的成年人开放"),
        ("nameless", "oidc.no_identifier", "统一身份认证平台没有提供统一社会信用代码或公民身份号码"),
    ],
)
@pytest.mark.django_db
def test_refusals_are_explained_in_chinese_and_audited(
    client, oidc_on, firm, person, username, code, message
):
    body = _refused(sign_in(client, username, PASSWORD), code)
    assert message in body
    assert _signed_in_user(client) is None
    assert (
        not OidcIdentity.objects.exists() and not User.objects.filter(username__startswith="oidc-").exists()
    )
    [event] = _events("account.oidc_refused")
    assert (event.actor, event.reason, event.payload["reason"]) == ("anonymous", code, code)
    assert event.payload["issuer"] == oidc_on.issuer
    stored = serializers.serialize("json", [event])
    assert MINOR not in stored and PERSON not in stored


@pytest.mark.django_db
def test_a_person_is_not_matched_to_an_unknown_number(client, oidc_on):
    body = _refused(sign_in(client, "person", PASSWORD), "oidc.unknown_subject")
    assert f"公民身份号码（{ric_mask(PERSON)}）对应的自然人" in body and PERSON not in body
    [event] = _events("account.oidc_refused")
    assert event.payload == {
        "issuer": oidc_on.issuer,
        "reason": "oidc.unknown_subject",
        "claim": "id_card",
        "code": ric_mask(PERSON),
    }


@pytest.mark.django_db
def test_an_identity_bound_to_one_firm_cannot_sign_in_as_another(client, oidc_on, firm):
    other = SubjectFactory(name="北京远山贸易有限公司", uscc=OTHER_FIRM)
    sign_in(client, "switcher", PASSWORD)
    user = _signed_in_user(client)
    client.logout()
    oidc_on.add_users(("switcher", PASSWORD, {"uscc": OTHER_FIRM, "uscc_verified": True}))
    try:
        body = _refused(sign_in(client, "switcher", PASSWORD), "oidc.bound_elsewhere")
    finally:
        oidc_on.add_users(("switcher", PASSWORD, USERS["switcher"]))
    assert "该统一身份认证账号已绑定另一信用主体" in body
    assert _signed_in_user(client) is None
    assert SubjectAccount.objects.get(user=user).subject_id == firm.pk
    [event] = _events("account.oidc_refused")
    assert event.payload == {
        "issuer": oidc_on.issuer,
        "reason": "oidc.bound_elsewhere",
        "subject": other.pk,
        "user": user.pk,
    }


@pytest.mark.django_db
def test_a_deactivated_account_is_refused(client, oidc_on, firm):
    sign_in(client, "firm", PASSWORD)
    user = _signed_in_user(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)
    _refused(sign_in(client, "firm", PASSWORD), "oidc.deactivated")
    assert _signed_in_user(client) is None


@pytest.mark.django_db
def test_a_wrong_client_secret_is_refused_without_a_500(client, settings, provider, firm):
    for name, value in provider.platform_settings(CLIENT_ID, "not-the-secret").items():
        setattr(settings, name, value)
    _refused(sign_in(client, "firm", PASSWORD), "oidc.provider_failed")
    assert [e.reason for e in _events("account.oidc_refused")] == ["oidc.provider_failed"]


@pytest.mark.django_db
def test_a_callback_without_the_flow_started_here_is_refused(client, oidc_on):
    response = client.get("/accounts/oidc/callback/?code=abc&state=xyz")
    _refused(response, "oidc.state_missing")
    cancelled = client.get("/accounts/oidc/callback/?error=access_denied")
    _refused(cancelled, "oidc.provider_error")


@pytest.mark.django_db
def test_the_test_provider_keeps_its_own_database(provider):
    """The provider's process never used the platform's database: its tables are in its own file."""
    import sqlite3

    from django.db import connection

    assert not [
        t
        for t in connection.introspection.table_names()
        if t.startswith(("oauth2_provider", "oidc_provider"))
    ]

    with sqlite3.connect(provider.home / "provider.sqlite3") as db:
        names = {row[0] for row in db.execute("select username from auth_user")}
    assert set(USERS) <= names
    assert not any(key.startswith("XINYONG_") for key in provider.env)


def _explicit(provider, issuer: str) -> dict:
    return provider.platform_settings(
        CLIENT_ID,
        SECRET,
        XINYONG_OIDC_ISSUER=issuer,
        XINYONG_OIDC_AUTHORIZATION_ENDPOINT=f"{provider.issuer}/authorize/",
        XINYONG_OIDC_TOKEN_ENDPOINT=f"{provider.issuer}/token/",
        XINYONG_OIDC_USERINFO_ENDPOINT=f"{provider.issuer}/userinfo/",
        XINYONG_OIDC_JWKS_ENDPOINT=f"{provider.issuer}/.well-known/jwks.json",
    )


@pytest.mark.django_db
def test_explicit_endpoints_need_no_discovery(client, settings, provider, firm):
    from xinyong.accounts.oidc import provider as endpoints

    endpoints._cache.clear()
    for name, value in _explicit(provider, provider.issuer).items():
        setattr(settings, name, value)
    assert sign_in(client, "firm", PASSWORD).status_code == 302
    assert SubjectAccount.objects.get(user=_signed_in_user(client)).subject_id == firm.pk
    assert endpoints._cache == {}


@pytest.mark.django_db
def test_an_id_token_of_another_issuer_is_refused(client, settings, provider, firm):
    """The ID token says iss=http://127.0.0.1:…/o; a platform configured for another issuer refuses it."""
    for name, value in _explicit(provider, provider.issuer.replace("127.0.0.1", "localhost")).items():
        setattr(settings, name, value)
    _refused(sign_in(client, "firm", PASSWORD), "oidc.provider_failed")
    assert not OidcIdentity.objects.exists()
