"""Filing a dishonesty report (提交失信行为举报, docs/domain.md "Report (whistleblowing)", plan tasks 14/17)
and routing it to the competent unit through the catalog's providers."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.selectors import unit_get
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import category_get, rule_in_force
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound
from xinyong.core.evidence import Upload, anonymous_uploads_check, evidence_store
from xinyong.core.querycode import query_code_new
from xinyong.core.timeutil import business_date
from xinyong.subjects.models import Subject
from xinyong.subjects.selectors import code_key, subject_active_named, subject_lookup
from xinyong.tipoffs.models import Tipoff
from xinyong.tipoffs.reporter import reporter_identity_check, reporter_protect
from xinyong.tipoffs.services.machine import history_write
from xinyong.workdays.selectors import WorkdayResult, working_day_deadline

# The credit office (市信用办) sits in 市经济信息化委, the unit carrying the reviewer role
# (accounts/data/units.yaml; also createadmin's default unit). Reports no single provider owns start there.
CREDIT_OFFICE_UNIT = "bj-jingxinwei"
ACCEPT_RULE = "tipoff.accept"
CONCLUDE_RULE = "tipoff.conclude"
MAX_SUBJECT_TEXT = 200
MAX_DESCRIPTION = 5000
_RIC_LIKE = re.compile(r"\d{17}[\dXx]")


def _field_error(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": field, "code": code, "message": message}])


def tipoff_category(code: str) -> Category:
    """The active catalog category the reported conduct belongs to; unknown is a 400 naming the field."""
    try:
        return category_get(code=(code or "").strip())
    except NotFound:
        raise _field_error("tipoff.category_unknown", "category", f"目录类别 {code} 不存在") from None


def unit_resolve(name_or_code: str, field: str) -> Unit:
    try:
        return unit_get(name_or_code=name_or_code)
    except NotFound:
        raise _field_error("tipoff.unit_unknown", field, f"单位不存在：{name_or_code}") from None


def competent_unit(*, category: Category, unit: Unit, field: str = "unit") -> Unit:
    """`unit` if it may handle reports of `category`: one of its providers, or any unit when the category is
    open to all providers (`providers_open`); else 400 `tipoff.unit_not_competent`."""
    if category.providers_open or any(p.pk == unit.pk for p in category.providers.all()):
        return unit
    raise _field_error(
        "tipoff.unit_not_competent",
        field,
        f"{unit.name}不是“{category.name}”（{category.code}）的信息提供单位，不能承办此类举报",
    )


def tipoff_route_unit(*, category: Category, unit: str = "") -> tuple[Unit, str]:
    """The handling unit (承办单位) of a new report and how it was chosen (docs/domain.md Report):

    1. `named`: the reporter named a unit; it must be one of the category's providers (any unit when the
       category is open), else 400 `tipoff.unit_not_competent` naming the unit and the category;
    2. `single_provider`: the category has exactly one provider: that unit;
    3. `credit_office`: several providers, none, or open: the credit office (`CREDIT_OFFICE_UNIT`), whose
       reviewers re-route it to a provider (`tipoff_route`).
    """
    if (unit or "").strip():
        return competent_unit(category=category, unit=unit_resolve(unit.strip(), "unit")), "named"
    providers = list(category.providers.all())
    if not category.providers_open and len(providers) == 1:
        return providers[0], "single_provider"
    return unit_resolve(CREDIT_OFFICE_UNIT, "unit"), "credit_office"


def tipoff_deadline(*, key: str, filed_at: dt.datetime, start: dt.datetime) -> WorkdayResult[dt.datetime]:
    """End of the period of rule `key` (in force on the filing date, docs/domain.md principle 3), counted in
    working days from the business date of `start`."""
    days = rule_in_force(key=key, on=business_date(filed_at)).values["deadline"]["amount"]
    return working_day_deadline(business_date(start), days)


def _subject_resolve(raw: str) -> tuple[Subject | None, str]:
    """The subject the reporter means, and the text kept as given. A valid code (any kind) is looked up,
    following corrections and merges; anything else is matched against current names and kept when no single
    subject has that name. A resident ID is kept only masked, as everywhere (ADR 0004)."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_SUBJECT_TEXT:
        message = (
            "须填写被举报主体的名称或统一社会信用代码"
            if not text
            else f"被举报主体最多 {MAX_SUBJECT_TEXT} 字"
        )
        raise _field_error("tipoff.subject_invalid", "subject", message)
    try:
        display = code_key(text, field="subject").display
    except DomainError:  # not a code: a name
        return subject_active_named(name=text), _RIC_LIKE.sub("******", text)
    try:
        return subject_lookup(raw=text, field="subject").subject, display
    except NotFound:
        return None, display


def tipoff_file(
    *,
    actor: Actor,
    subject: str,
    category: str,
    description: str,
    now: dt.datetime,
    files: list[Upload] | None = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_id_number: str = "",
    unit: str = "",
) -> Tipoff:
    """File a report (docs/domain.md "Report"): anyone, named or anonymous, against a subject given by code or
    name, with evidence files (core.evidence: PDF/JPG/PNG by content, ≤10 MB, ≤10 files; refusals pass
    through as 400; an anonymous filer is capped per request, core.evidence.anonymous_uploads_check).
    Routed by `tipoff_route_unit`; the unit must accept or refuse within rule `tipoff.accept` (working days).
    The returned report carries the reporter's query code (查询码)."""
    identity = reporter_identity_check(
        anonymous=anonymous, name=reporter_name, phone=reporter_phone, id_number=reporter_id_number
    )
    found, subject_text = _subject_resolve(subject)
    text = (description or "").strip()
    if not text or len(text) > MAX_DESCRIPTION:
        message = "须填写举报内容（失信行为的事实）" if not text else f"举报内容最多 {MAX_DESCRIPTION} 字"
        raise _field_error("tipoff.description_invalid", "description", message)
    if not actor.is_authenticated:
        anonymous_uploads_check(files or [])
    kind = tipoff_category(category)
    handling_unit, how = tipoff_route_unit(category=kind, unit=unit)
    deadline = tipoff_deadline(key=ACCEPT_RULE, filed_at=now, start=now)
    with transaction.atomic():
        evidence_ids = evidence_store(files=files or [], purpose="tipoff", actor_label=actor.label, now=now)
        tipoff = Tipoff.objects.create(
            query_code=query_code_new("tipoff"),
            subject=found,
            subject_text=subject_text,
            category=kind,
            handling_unit=handling_unit,
            description=text,
            evidence_ids=evidence_ids,
            anonymous=identity is None,
            filed_at=now,
            accept_deadline=deadline.value,
            accept_deadline_provisional=deadline.provisional,
            **reporter_protect(identity),
        )
        extra = {
            "routed": how,
            "anonymous": tipoff.anonymous,
            "evidence_ids": evidence_ids,
            "accept_deadline": deadline.value.isoformat(),
            "provisional_years": list(deadline.provisional_years),
        }
        history_write(tipoff, actor=actor, action="file", from_state="", now=now, reason="", extra=extra)
    return tipoff
