"""catalog_load / rules_load: validation against the units, idempotence, updates, audit."""

from __future__ import annotations

import pytest

from tests.support.factories import unit_make
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import CatalogVersion, Category, CategoryField, Rule
from xinyong.catalog.selectors import category_get
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.catalog.tests import samples
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def gongshang(db):
    return unit_make("市工商局", "bj-gongshangju", ("北京市工商行政管理局",))


@pytest.fixture
def load(write, actor, now, gongshang):
    """load(document) -> LoadResult of catalog_load on the document written to a file."""

    def _load(document):
        return catalog_load(actor=actor, now=now, path=write(samples.dump(document)))

    return _load


def snapshot() -> list:
    """Every catalog row, to show that a load changed nothing."""
    return [
        list(CatalogVersion.objects.order_by("pk").values()),
        list(Category.objects.order_by("pk").values()),
        list(CategoryField.objects.order_by("pk").values()),
        sorted(Category.providers.through.objects.values_list("category_id", "unit_id")),
    ]


def test_first_load_creates_everything_and_is_audited(load, gongshang, now):
    result = load(samples.catalog())
    assert (result.version, result.version_created, result.created, result.updated) == (
        "t1",
        True,
        ("CF", "DJ"),
        (),
    )
    event = AuditEvent.objects.get()
    assert (event.seq, result.audit_seq, event.action, event.target_type, event.target_id, event.actor) == (
        1,
        1,
        "catalog.load",
        "catalog_version",
        "t1",
        "user:1",
    )
    assert event.payload == {
        "version": "t1",
        "effective_from": "2026-04-01",
        "sha256": result.sha256,
        "version_created": True,
        "created": ["CF", "DJ"],
        "updated": [],
        "deactivated": [],
    }
    cf, dj = Category.objects.order_by("order")
    assert (cf.providers_open, list(cf.providers.all()), dj.providers_open, list(dj.providers.all())) == (
        True,
        [],
        False,
        [gongshang],
    )
    fk = cf.fields.get(code="CF_NR_FK")
    assert (fk.type, fk.required, fk.rule, fk.tier, fk.order, fk.options) == (
        "decimal_wan",
        "conditional",
        "cflb_fine",
        "public",
        2,
        {},
    )
    assert CatalogVersion.objects.get().loaded_at == now


def test_loading_the_same_file_twice_changes_nothing_and_audits_nothing(load):
    load(samples.catalog())
    before, events = snapshot(), AuditEvent.objects.count()
    result = load(samples.catalog())
    assert (result.changed, result.created, result.updated, result.deactivated, result.audit_seq) == (
        False,
        (),
        (),
        (),
        None,
    )
    assert snapshot() == before
    assert AuditEvent.objects.count() == events == 1


def test_a_new_version_updates_only_what_changed(load):
    load(samples.catalog())
    document = samples.catalog()
    document["version"] = "t2"
    samples.category(document, "DJ")["name"] = "登记注册信息"
    result = load(document)
    assert (result.version_created, result.created, result.updated) == (True, (), ("DJ",))
    assert Category.objects.get(code="DJ").version.version == "t2"
    assert Category.objects.get(code="CF").version.version == "t1"  # unchanged since t1
    event = AuditEvent.objects.order_by("seq").last()
    assert (event.seq, event.payload["updated"], event.payload["version"]) == (2, ["DJ"], "t2")


def test_a_dropped_field_is_deactivated_not_deleted(load):
    load(samples.catalog())
    document = samples.catalog()
    document["version"] = "t2"
    samples.category(document, "CF")["fields"].pop()  # CF_XDR_ZJHM
    assert load(document).updated == ("CF",)
    field = CategoryField.objects.get(code="CF_XDR_ZJHM")
    assert field.active is False
    assert [f.code for f in category_get(code="CF").active_fields] == ["CF_XDR_MC", "CF_CFLB", "CF_NR_FK"]


def test_a_dropped_category_is_deactivated_and_comes_back(load):
    load(samples.catalog())
    document = samples.catalog()
    document["version"], document["categories"] = "t2", document["categories"][:1]
    assert load(document).deactivated == ("DJ",)
    with pytest.raises(DomainError) as caught:
        category_get(code="DJ")
    assert (caught.value.code, caught.value.status) == ("catalog.category_not_found", 404)
    assert category_get(code="DJ", include_inactive=True).active is False
    back = samples.catalog()
    back["version"] = "t3"
    assert load(back).updated == ("DJ",)
    assert category_get(code="DJ").version.version == "t3"


def test_changed_content_under_the_same_version_is_refused(load):
    load(samples.catalog())
    before = snapshot()
    document = samples.catalog()
    samples.category(document, "DJ")["name"] = "改名"
    with pytest.raises(DomainError) as caught:
        load(document)
    assert (caught.value.code, caught.value.status) == ("catalog.version_exists", 409)
    assert caught.value.message.startswith("目录版本 t1 已以不同内容载入（SHA-256 ")
    assert snapshot() == before


def test_unknown_provider_is_refused_and_nothing_is_written(load):
    document = samples.catalog()
    samples.category(document, "DJ")["providers"] = ["市工商局", "市不存在局"]
    with pytest.raises(DomainError) as caught:
        load(document)
    assert caught.value.code == "catalog.invalid"
    assert (
        caught.value.message
        == "目录文件校验未通过：categories[DJ].providers：数据提供单位“市不存在局”不在单位名录中"
    )
    assert caught.value.errors[0]["code"] == "unknown_provider"
    assert (CatalogVersion.objects.count(), Category.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)


def test_provider_alias_resolves_through_unit_names(load, gongshang):
    document = samples.catalog()
    samples.category(document, "DJ")["providers"] = ["北京市工商行政管理局"]
    load(document)
    assert list(Category.objects.get(code="DJ").providers.all()) == [gongshang]


def test_sensitive_field_is_refused_by_the_loader(load):
    document = samples.catalog()
    samples.field(document, "DJ", "DJ_ZTMC")["description"] = "法定代表人血型"
    with pytest.raises(DomainError) as caught:
        load(document)
    assert caught.value.code == "catalog.invalid"
    assert caught.value.errors[0]["field"] == "categories[DJ].fields[DJ_ZTMC].code"
    assert "血型" in caught.value.message
    assert Category.objects.count() == 0


def test_a_row_changed_behind_the_loader_is_restored_and_audited(load):
    load(samples.catalog())
    CategoryField.objects.filter(code="DJ_ZTMC").update(name="被改动")
    result = load(samples.catalog())
    assert (result.version_created, result.updated, result.audit_seq) == (False, ("DJ",), 2)
    assert CategoryField.objects.get(code="DJ_ZTMC").name == "主体名称"


# ── rules ─────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def load_rules(write, actor, now):
    def _load(document):
        return rules_load(actor=actor, now=now, path=write(samples.dump(document), "rules.yaml"))

    return _load


def test_rules_load_is_idempotent(load_rules):
    first = load_rules(samples.rules())
    assert first.created == (
        "publication.penalty.serious@2019-07-01",
        "publication.penalty.serious@2026-04-01",
        "objection.accept@2026-04-01",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.target_type, event.target_id) == ("catalog.rules_load", "rule_table", "r1")
    before = list(Rule.objects.order_by("pk").values())
    second = load_rules(samples.rules())
    assert (second.changed, second.audit_seq) == (False, None)
    assert list(Rule.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == 1


def test_changed_rule_row_is_updated_and_audited(load_rules):
    load_rules(samples.rules())
    document = samples.rules()
    document["rules"][2]["values"] = {"deadline": {"working_days": 3}}
    result = load_rules(document)
    assert (result.created, result.updated, result.audit_seq) == ((), ("objection.accept@2026-04-01",), 2)
    assert Rule.objects.get(key="objection.accept").values == {
        "deadline": {"amount": 3, "unit": "working_days"}
    }


def test_a_loaded_rule_row_may_not_disappear(load_rules):
    load_rules(samples.rules())
    document = samples.rules()
    del document["rules"][0]
    with pytest.raises(DomainError) as caught:
        load_rules(document)
    assert (caught.value.code, caught.value.status) == ("catalog.rule_removed", 409)
    assert caught.value.message == (
        "规则 publication.penalty.serious（2019-07-01 起生效）已载入，不得从规则表中删除；"
        "法规变化请新增生效日期更晚的一行"
    )
    assert Rule.objects.count() == 3


def test_unreadable_file_is_refused(actor, now, tmp_path):
    with pytest.raises(DomainError) as caught:
        rules_load(actor=actor, now=now, path=tmp_path / "missing.yaml")
    assert caught.value.code == "catalog.invalid"
