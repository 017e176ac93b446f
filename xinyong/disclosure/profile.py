"""The subject profile (一站式查询 / 信用档案) as each kind of caller may see it (issue 4), built from the
subject's standing (standing.selectors, issue 11): the records and list entries it shows are exactly those of
`standing_for` for the caller's scope; this module adds the fields each tier may read.

Who sees what (docs/domain.md principle 6, disclosure tiers 社会公开 / 政务共享 / 授权查询):
  * anyone: public-tier fields of published records (and records under objection, flagged) of legal entities;
  * a unit's officers (data officer, case officer, reviewer, admin, auditor): also government-tier fields and
    retained records (expired, not published), with a stated purpose;
  * an institution: public fields, and authorised fields only with a live consent of the subject;
  * the subject itself (a verified subject account): everything about itself, repaired records included;
  * a natural person's data: only the person itself, a unit holding the person's consent, or officers with a
    stated purpose and case number (legal basis); nobody else, not even the public tier.
List entries: current entries of public list types for everyone; entries of non-public list types (重点关注)
and exited entries only for government tiers and the subject itself.
Repaired, withdrawn and superseded versions are never public. Every read beyond the public tier appends a
query-log event (audit action `query.profile`: who, unit, purpose or case number, subject, tiers, time), and
the subject can list them (`disclosure.querylog.query_log_for_subject`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.roles import GOVERNMENT, Role
from xinyong.accounts.selectors import unit_names_by_id
from xinyong.audit.services import audit_append
from xinyong.catalog.selectors import categories_by_ids
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.core.timeutil import business_date, rfc3339
from xinyong.disclosure.consents import consent_active
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import records_objection_since, records_with_units
from xinyong.records.shown import SHOWN_STATUSES
from xinyong.standing.selectors import EntryFact, Standing, standing_for
from xinyong.subjects.identity import person_decrypt
from xinyong.subjects.masking import person_name_masked_in
from xinyong.subjects.models import Subject
from xinyong.subjects.selectors import subject_names, subject_primary_code

STATUS_LABELS = dict(RecordStatus.choices)
PAST_WINDOW_LABEL = (
    "公示期满（待归档）"  # published, window ended, the nightly sweep not yet run: retained only
)
EXIT_LABELS = dict(ListEntry._meta.get_field("exit_reason").choices)


@dataclass(frozen=True)
class Viewer:
    """What one caller may see of one subject, and why."""

    level: str  # public | institution | government | self: also the standing's scope
    tiers: frozenset[str]
    basis: str = ""  # purpose / case number / consent that justifies a non-public read
    consent_id: int | None = None

    @property
    def logged(self) -> bool:
        return self.tiers != frozenset({"public"}) or self.level != "public"


def profile_viewer(
    *, actor: Actor, subject: Subject, purpose: str, case_number: str, today: dt.date
) -> Viewer:
    """Decide the caller's view; refuse (403) a person's data without self, consent or legal basis."""
    if subject_id_of(actor=actor) == subject.pk:
        return Viewer("self", frozenset({"public", "government", "authorised"}), "本人查询")
    consent = (
        consent_active(subject_id=subject.pk, unit_code=actor.unit_code, on=today)
        if actor.unit_code
        else None
    )
    if actor.has_role(*GOVERNMENT):
        return _government_viewer(subject, purpose, case_number, consent)
    if consent is not None:
        tiers = {Role.PUBLIC, "authorised"} if actor.has_role(Role.INSTITUTION) else {Role.PUBLIC}
        return Viewer("institution", frozenset(tiers), f"授权：{consent.purpose}", consent.pk)
    if subject.is_person:
        raise PermissionDenied("profile.consent_required", "自然人的信用信息只能由本人查询，或凭本人授权查询")
    return Viewer("public", frozenset({"public"}))


def _government_viewer(subject: Subject, purpose: str, case_number: str, consent) -> Viewer:
    if not purpose.strip():
        raise DomainError(
            "profile.purpose_required", "政务查询须说明用途（purpose），涉及自然人须同时提供案件编号"
        )
    if subject.is_person and not case_number.strip() and consent is None:
        raise PermissionDenied(
            "profile.legal_basis_required", "查询自然人须提供案件编号（case_number）或本人授权"
        )
    basis = purpose.strip() + (f"（案件编号 {case_number.strip()}）" if case_number.strip() else "")
    return Viewer("government", frozenset({"public", "government"}), basis, consent.pk if consent else None)


def subject_profile(
    *, actor: Actor, subject: Subject, now: dt.datetime, purpose: str = "", case_number: str = ""
) -> dict:
    """The profile for this caller; a non-public read is logged in the same transaction as it is assembled."""
    today = business_date(now)
    viewer = profile_viewer(
        actor=actor, subject=subject, purpose=purpose, case_number=case_number, today=today
    )
    with transaction.atomic():
        standing = standing_for(subject_id=subject.pk, on=today, scope=viewer.level)
        profile = {
            "viewer": viewer.level,
            "tiers": sorted(viewer.tiers),
            "subject": _base(subject, viewer),
            "categories": _categories(
                standing, viewer, masked=subject.is_person and not _names_shown(viewer)
            ),
            "list_entries": _entries(standing),
        }
        if viewer.logged:
            _log(actor, subject, viewer, case_number, profile, now)
    return profile


def _base(subject: Subject, viewer: Viewer) -> dict:
    names = subject_names(subject=subject)
    show_name = not subject.is_person or _names_shown(viewer)
    return {
        "code": subject.person_masked if subject.is_person else subject_primary_code(subject),
        "kind": subject.kind,
        "kind_label": subject.get_kind_display(),
        "status": subject.status,
        "name": subject.name if show_name else None,
        "district": subject.district,
        "industry": subject.industry,
        "name_history": [
            {
                "name": n.name,
                "valid_from": n.valid_from.isoformat(),
                "valid_to": n.valid_to.isoformat() if n.valid_to else None,
            }
            for n in names
        ]
        if show_name
        else [],
    }


def _names_shown(viewer: Viewer) -> bool:
    """A person's name is read in full by the person and by government roles only (ADR 0040)."""
    return viewer.level in ("self", "government")


def _categories(standing: Standing, viewer: Viewer, *, masked: bool) -> list[dict]:
    """The records by category; `masked`: a person's name masked in every field that quotes it (an
    institution reading with the person's consent: the name is withheld from the base, and so from here)."""
    facts = {r.record_id: r for r in standing.records}
    records = records_with_units(record_ids=facts)
    under_objection = [r.pk for r in records if r.status == RecordStatus.UNDER_OBJECTION]
    objections = records_objection_since(record_ids=under_objection)
    out = []
    for category in categories_by_ids(ids={r.category_id for r in records}):
        fields = {f.code: f.name for f in category.fields.filter(active=True, tier__in=viewer.tiers)}
        items = [
            _record(r, fields, viewer, objections, facts[r.pk].shown, masked)
            for r in records
            if r.category_id == category.pk
        ]
        out.append(
            {
                "code": category.code,
                "name": category.name,
                "polarity": category.polarity,
                "count": len(items),
                "records": items,
            }
        )
    return out


def _record(
    record: Record,
    fields: dict[str, str],
    viewer: Viewer,
    objections: dict[int, dt.datetime],
    shown: bool,
    masked: bool,
) -> dict:
    payload = dict(record.payload)
    if viewer.level == "self":  # the subject sees its own numbers in clear
        payload.update({k: person_decrypt(v) for k, v in record.protected.items()})
    if masked:
        payload = {k: person_name_masked_in(v, record.subject_name) for k, v in payload.items()}
    objection = objections.get(record.pk)
    return {
        "record_id": record.pk,
        "unit": record.unit.code,
        "unit_name": record.unit.name,
        "doc_no": record.doc_no,
        "decision_date": record.decision_date.isoformat(),
        "severity": record.severity,
        **({"severity_source": record.severity_source} if "government" in viewer.tiers else {}),
        "status": record.status,
        "status_label": PAST_WINDOW_LABEL
        if record.status in SHOWN_STATUSES and not shown
        else STATUS_LABELS[record.status],
        "shown": shown,
        "under_objection_since": rfc3339(objection) if objection else None,
        "publish_until": record.publish_max_end.isoformat() if record.publish_max_end else None,
        "fields": [
            {"code": code, "name": name, "value": payload[code]}
            for code, name in fields.items()
            if payload.get(code) not in (None, "")
        ],
    }


def _entries(standing: Standing) -> list[dict]:
    units = unit_names_by_id({e.deciding_unit_id for e in standing.entries})
    return [_entry(e, units[e.deciding_unit_id]) for e in standing.entries]


def _entry(e: EntryFact, deciding_unit: str) -> dict:
    return {
        "entry_id": e.entry_id,
        "list_type": e.list_type_code,
        "list_type_name": e.list_type_name,
        "list_kind": e.list_kind,
        "public": e.list_public,
        "state": e.state,
        "current": e.current,
        "decided_on": _day(e.decided_at),
        "published_on": _day(e.published_at),
        "expires_on": e.expires_on.isoformat() if e.expires_on else None,
        "exited_on": _day(e.exited_at),
        "exit_reason": EXIT_LABELS.get(e.exit_reason, "") if e.exit_reason else "",
        "deciding_unit": deciding_unit,
        "legal_basis": e.legal_basis,
        "under_objection_since": rfc3339(e.objection_since) if e.objection_since else None,
    }


def _day(at: dt.datetime | None) -> str | None:
    return business_date(at).isoformat() if at else None


def _log(actor: Actor, subject: Subject, viewer: Viewer, case_number: str, profile: dict, now) -> None:
    audit_append(
        actor=actor,
        action="query.profile",
        target_type="subject",
        target_id=subject.pk,
        now=now,
        reason=viewer.basis,
        payload={
            "level": viewer.level,
            "tiers": sorted(viewer.tiers),
            "case_number": case_number.strip(),
            "consent": viewer.consent_id,
            "records": sum(c["count"] for c in profile["categories"]),
            "list_entries": len(profile["list_entries"]),
        },
    )
