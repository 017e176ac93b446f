"""Issue 14, registration with documents (accounts/registration.py `application_submit`): what is kept,
every refusal per field and at once, and that a refusal writes nothing and keeps no file."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat

import pytest

from tests.support.registration import (
    NOW,
    PASSWORD,
    PDF_BYTES,
    PNG_BYTES,
    RIC,
    USCC,
    pdf,
    png,
    submit,
)
from xinyong.accounts import registration
from xinyong.accounts.models import AccountApplication, AccountDocument, SubjectAccount, User
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.subjects.identity import person_hash

pytestmark = pytest.mark.django_db
INVALID = "申请信息有误，请按提示修改后重新提交"


def refused(kind="enterprise", **over) -> DomainError:
    with pytest.raises(DomainError) as caught:
        submit(kind, **over)
    return caught.value


def fields(err: DomainError) -> list[tuple[str, str, str]]:
    return [(e["field"], e["code"], e["message"]) for e in err.errors]


def nothing_written(directory) -> None:
    assert User.objects.count() == 0
    assert AccountApplication.objects.count() == 0
    assert AccountDocument.objects.count() == 0
    assert not AuditEvent.objects.filter(action="account.apply").exists()
    assert not directory.exists() or list(directory.iterdir()) == []


def test_an_enterprise_applies_and_its_user_can_sign_in_but_is_no_subject_yet(uploads):
    app = submit("enterprise", documents=[("licence", pdf()), ("authorisation", pdf("委托书.pdf"))])
    user = app.user
    assert (user.username, user.full_name, user.is_active, user.roles) == (
        "enterprise-applicant", "北京蓝桥科技有限公司", True, [],
    )  # fmt: skip
    assert user.check_password(PASSWORD)
    assert not SubjectAccount.objects.filter(user=user).exists()
    assert (app.kind, app.subject_code, app.person_hash, app.person_masked, app.status) == (
        "enterprise", USCC, "", "", "pending",
    )  # fmt: skip
    assert (app.name, app.contact, app.scope, app.agency_valid_to, app.submitted_at) == (
        "北京蓝桥科技有限公司", "13800000000", [], None, NOW,
    )  # fmt: skip
    assert app.query_code.startswith("ZC-") and len(app.query_code) == 22
    docs = list(app.documents.order_by("pk"))
    assert [(d.kind, d.original_name, d.content_type, d.size) for d in docs] == [
        ("licence", "营业执照.pdf", "application/pdf", len(PDF_BYTES)),
        ("authorisation", "委托书.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    assert docs[0].sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    for doc in docs:
        kept = uploads / doc.stored_name
        assert kept.read_bytes() == PDF_BYTES
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700
    event = AuditEvent.objects.get(action="account.apply")
    assert (event.actor, event.target_type, event.target_id) == (f"user:{user.pk}", "account_application",
                                                                 str(app.pk))  # fmt: skip
    assert event.payload == {"kind": "enterprise", "user": user.pk, "subject": USCC,
                             "documents": ["licence", "authorisation"]}  # fmt: skip


def test_a_person_is_kept_only_as_keyed_hash_and_masked_number(uploads):
    app = submit("person")
    assert (app.subject_code, app.person_hash, app.person_masked) == (
        "",
        person_hash(RIC),
        RIC[:6] + "*" * 8 + RIC[-4:],
    )
    row = AccountApplication.objects.filter(pk=app.pk).values().get()
    assert RIC not in repr(row)
    assert RIC not in repr(AuditEvent.objects.get(action="account.apply").payload)
    assert [d.content_type for d in app.documents.all()] == ["image/png"]


def test_an_agent_names_the_principal_scope_and_end_date(uploads):
    by_code = submit("agent")
    assert (by_code.subject_code, by_code.scope, by_code.agency_valid_to) == (
        USCC, ["objection", "repair"], dt.date(2027, 6, 30),  # the scope in AgencyScope's order
    )  # fmt: skip
    by_person = submit("agent", username="agent-2", subject_code="", resident_id=RIC, scope=["query_log"])
    assert (by_person.subject_code, by_person.person_hash, by_person.scope) == (
        "",
        person_hash(RIC),
        ["query_log"],
    )
    assert sorted(d.kind for d in by_person.documents.all()) == ["authorisation", "id_card"]


def test_every_missing_field_is_reported_at_once_and_nothing_is_written(uploads):
    err = refused(username="", password="", name="", subject_code="", contact="", documents=[])
    assert (err.code, err.status, err.message) == ("account.application_invalid", 400, INVALID)
    assert fields(err) == [
        ("username", "account.username_required", "请填写用户名"),
        ("name", "required", "请填写企业名称"),
        ("password", "account.password_required", "请设置密码"),
        ("subject_code", "account.subject_code_required", "请填写统一社会信用代码"),
        ("contact", "required", "请填写联系电话或电子邮箱"),
        ("doc_licence", "account.document_required", "请上传营业执照"),
    ]
    nothing_written(uploads)


def test_codes_are_checked_by_the_registry_validators(uploads):
    bad_uscc = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    assert fields(refused(subject_code=bad_uscc))[0][:2] == ("subject_code", "uscc.check_character")
    assert fields(refused("person", resident_id=RIC[:-1] + "0" if RIC[-1] != "0" else RIC[:-1] + "1"))[0][:2] == (
        "resident_id", "ric.check_digit",
    )  # fmt: skip
    from tests.support.factories import make_ric

    minor = make_ric(3, birth=dt.date(2010, 5, 1))
    assert fields(refused("person", resident_id=minor))[0][:2] == ("resident_id", "ric.minor")
    assert fields(refused("person", resident_id=""))[0] == (
        "resident_id", "account.resident_id_required", "请填写公民身份号码",
    )  # fmt: skip
    nothing_written(uploads)


def test_user_name_password_and_lengths(uploads):
    submit("person", username="Taken")
    assert fields(refused(username="taken")) == [
        ("username", "account.username_taken", "用户名 taken 已被使用，请换一个")
    ]
    assert fields(refused(username="两个 字"))[0][:2] == ("username", "account.username_invalid")
    assert fields(refused(password="12345678")) == [
        (
            "password",
            "account.password_weak",
            "密码太短：至少 12 个字符，现有 8 个；密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类；密码太常见，容易被猜到；密码不能只有数字",
        )
    ]
    assert fields(refused("person", name="李" * 51)) == [
        ("name", "account.name_too_long", "姓名不得超过 50 个字")
    ]
    assert fields(refused(contact="1" * 101)) == [
        ("contact", "account.contact_too_long", "联系电话或电子邮箱不得超过 100 个字")
    ]
    assert AccountApplication.objects.count() == 1


def test_documents_are_checked_as_evidence_files_and_must_fit_the_kind(uploads):
    assert fields(refused(documents=[("licence", pdf("执照.txt"))])) == [
        ("doc_licence", "type", "执照.txt：只接受 PDF、JPG、PNG 文件")
    ]
    assert fields(refused(documents=[("licence", pdf("执照.pdf", PNG_BYTES))])) == [
        ("doc_licence", "content", "执照.pdf：文件内容与扩展名不符")
    ]
    assert fields(refused(documents=[("licence", pdf("执照.pdf", b""))])) == [
        ("doc_licence", "empty", "执照.pdf：文件为空")
    ]
    assert fields(refused(documents=[("licence", pdf()), ("licence", pdf())])) == [
        ("doc_licence", "account.document_repeated", "营业执照只需上传一个文件")
    ]
    assert fields(refused("person", documents=[("id_card", png()), ("licence", pdf())])) == [
        ("doc_licence", "account.document_unexpected", "此类申请不需要营业执照")
    ]
    assert fields(refused("agent", documents=[("id_card", png())])) == [
        ("doc_authorisation", "account.document_required", "请上传授权委托书")
    ]
    nothing_written(uploads)


def test_the_anonymous_upload_caps_apply(uploads, settings):
    settings.XINYONG_ANON_UPLOAD_MAX_BYTES = len(PDF_BYTES) + 10
    err = refused("agent")
    assert (err.code, err.status) == ("evidence.too_large", 413)
    total = len(PDF_BYTES) + len(PNG_BYTES)
    message = f"匿名提交的证明材料合计不得超过 {len(PDF_BYTES) + 10} 字节，实为 {total} 字节"
    assert fields(err) == [("documents", "evidence.too_large", message)]
    settings.XINYONG_ANON_UPLOAD_MAX_BYTES, settings.XINYONG_ANON_UPLOAD_MAX_FILES = 10**6, 1
    assert refused("agent").code == "evidence.too_many"
    nothing_written(uploads)


def test_an_agents_terms(uploads):
    assert fields(refused("agent", subject_code="", scope=[], agency_valid_to=None)) == [
        (
            "subject_code",
            "account.principal_required",
            "请填写被代理主体的统一社会信用代码或公民身份号码（二者填其一）",
        ),
        ("scope", "agency.scope_required", "请至少选择一项委托事项"),
        ("agency_valid_to", "agency.end_required", "请填写委托截止日期"),
    ]
    assert fields(refused("agent", resident_id=RIC, scope=["x"], agency_valid_to=dt.date(2026, 11, 2))) == [
        (
            "subject_code",
            "account.principal_ambiguous",
            "统一社会信用代码和公民身份号码只填其一：被代理的是企业填前者，是个人填后者",
        ),
        ("scope", "agency.scope_invalid", "委托事项不在可选范围内：x"),
        ("agency_valid_to", "agency.end_past", "委托截止日期须晚于今天（2026-11-02）"),
    ]
    assert fields(refused("agent", agency_valid_to=dt.date(2031, 11, 3))) == [
        ("agency_valid_to", "agency.too_long", "委托期限最长 5 年：截止日期不得晚于 2031-11-02")
    ]
    assert submit("agent", agency_valid_to=dt.date(2031, 11, 2)).agency_valid_to == dt.date(2031, 11, 2)
    assert fields(refused("person", scope=["repair"])) == [
        ("scope", "account.agency_terms_unexpected", "只有代理人申请填写委托事项和委托截止日期")
    ]
    with pytest.raises(DomainError) as caught:
        registration.application_submit(
            kind="zz", username="x", password=PASSWORD, name="x", contact="x", documents=[], now=NOW
        )
    assert fields(caught.value) == [
        ("kind", "account.kind_invalid", "请选择申请类型：法人账户、个人账户或代理人")
    ]


def test_a_failure_after_the_files_are_written_removes_them(uploads, monkeypatch):
    first = submit("person")
    monkeypatch.setattr(registration, "query_code_new", lambda kind: first.query_code)  # a collision
    with pytest.raises(Exception) as caught:
        submit("enterprise")
    assert type(caught.value).__name__ == "IntegrityError"
    assert User.objects.count() == 1 and AccountApplication.objects.count() == 1
    assert sorted(p.name for p in uploads.iterdir()) == [first.documents.get().stored_name]


def test_a_write_that_fails_half_way_keeps_no_file(uploads, monkeypatch):
    from xinyong.accounts import documents

    written = []
    real = documents.document_write

    def second_fails(upload):  # the disk fills up on the second document
        if written:
            raise OSError(28, "No space left on device")
        written.append(real(upload))
        return written[-1]

    monkeypatch.setattr(registration, "document_write", second_fails)
    with pytest.raises(OSError):
        submit("agent")
    assert len(written) == 1
    nothing_written(uploads)
