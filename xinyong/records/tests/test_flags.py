"""What objections and repairs do to records (records/flags.py): the flag and the repair follow the decision
across new versions; the sweep expires flagged records; withdrawn and repaired records take no objection."""

import datetime as dt

import pytest

from tests.support.records import NOW, cf_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.records.flags import record_objection_clear, record_objection_flag, record_repair
from xinyong.records.models import Record, RecordStatus
from xinyong.records.services import record_withdraw, records_sweep

REVIEWER = Actor(label="user:9", unit_code="bj-fagaiwei", roles=frozenset({"reviewer"}), user_id=9)
DOC = "京工商罚字〔2026〕第101号"


def _receive(officer, key: str, **fields) -> Record:
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code="CF"),
        rows=enumerate([cf_row(**fields)]),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
    )
    return Record.objects.get(doc_no=DOC, is_current=True)


@pytest.fixture
def penalty(officer) -> Record:
    return _receive(officer, "first")


def test_flag_then_correction_keeps_the_flag_and_clear_restores(officer, penalty):
    flagged = record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=5, now=NOW)
    assert flagged.status == RecordStatus.UNDER_OBJECTION
    corrected = _receive(officer, "second", CF_NR="罚款人民币一万元", CF_NR_FK="1")
    assert corrected.pk != penalty.pk and corrected.change_kind == "correction"
    assert corrected.status == RecordStatus.UNDER_OBJECTION
    # the objected (old) id still reaches the current version
    cleared = record_objection_clear(actor=REVIEWER, record_id=penalty.pk, objection_id=5, now=NOW)
    assert cleared.pk == corrected.pk and cleared.status == RecordStatus.PUBLISHED
    change = cleared.status_changes.get()
    assert (change.from_status, change.to_status, change.reason) == (
        "under_objection",
        "published",
        "异议 #5 办结，取消异议标注",
    )


def test_sweep_expires_a_flagged_record_and_clearing_leaves_it_expired(penalty):
    record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=1, now=NOW)
    later = NOW.replace(year=2028)  # past the general penalty's one-year maximum
    assert records_sweep(actor=Actor.system(), now=later).expired == 1
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.EXPIRED
    assert list(penalty.status_changes.values_list("from_status", "to_status")) == [
        ("published", "under_objection"),
        ("under_objection", "expired"),
    ]
    assert record_objection_clear(actor=REVIEWER, record_id=penalty.pk, objection_id=1, now=later).status == (
        RecordStatus.EXPIRED
    )


def test_clear_after_the_window_ended_gives_expired(penalty):
    record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=2, now=NOW)
    later = NOW + dt.timedelta(days=800)
    assert record_objection_clear(actor=REVIEWER, record_id=penalty.pk, objection_id=2, now=later).status == (
        RecordStatus.EXPIRED
    )


def test_a_repaired_record_stays_repaired_through_a_resubmission(officer, penalty):
    assert record_repair(actor=REVIEWER, record_id=penalty.pk, repair_id=3, now=NOW).status == "repaired"
    again = _receive(officer, "again", CF_NR="罚款人民币三万元", CF_NR_FK="3")
    assert again.pk != penalty.pk and again.status == RecordStatus.REPAIRED
    with pytest.raises(Conflict) as caught:
        record_repair(actor=REVIEWER, record_id=again.pk, repair_id=4, now=NOW)
    assert (caught.value.code, caught.value.message) == (
        "record.already_repaired",
        f"信用信息 {again.pk} 已信用修复",
    )


def test_withdrawn_and_repaired_records_take_no_objection(officer, penalty):
    withdrawn = record_withdraw(actor=officer, record_id=penalty.pk, reason="重复报送", now=NOW)
    with pytest.raises(Conflict) as caught:
        record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=7, now=NOW)
    assert (caught.value.code, caught.value.message) == (
        "objection.target_closed",
        f"信用信息 {withdrawn.pk} 已撤回，不再公示，不能对其提出异议",
    )


def test_publicity_shows_a_flagged_record_with_its_flag(client, penalty):
    record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=8, now=NOW)
    items = client.get("/api/v1/publicity/penalties").json()["items"]
    assert [(i["record_id"], i["status"], i["under_objection"]) for i in items] == [
        (penalty.pk, "under_objection", True)
    ]
