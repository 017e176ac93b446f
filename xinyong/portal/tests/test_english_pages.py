"""Every public page of the portal in English (issue 15 "an English version of every public page"): under
/en/ each answers with `<html lang="en">` and no Chinese in its <main> except data (leftovers.py); the
error pages and messages that other apps' refusals produce are in English too."""

import csv
import io
import re

import pytest
from django.test import Client

from .leftovers import english as checked
from .leftovers import leftover_chinese

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/en/",
    "/en/search/",
    "/en/search/?q=华信",
    "/en/publicity/licences/",
    "/en/publicity/penalties/",
    "/en/commitments/",
    "/en/lists/",
    "/en/lists/scjg-yzsx/",
    "/en/cases/",
    "/en/policies/",
    "/en/plan/",
    "/en/progress/",
    "/en/reports/verify",
    "/en/tipoffs/new",
]


def english(url: str, status: int = 200, data=()) -> str:
    return checked(Client().get(url), status, data)


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_have_no_leftover_chinese(world, url):
    english(url)


def test_the_subject_and_record_pages_have_no_leftover_chinese(world):
    english(f"/en/subjects/{world.subject.uscc}/")
    english(f"/en/subjects/{world.subject.uscc}/?view=compliance")
    english(f"/en/records/{world.known.objected.pk}/")


def test_an_unknown_or_malformed_code_in_english(world):
    from tests.support.factories import make_uscc

    html = english(f"/en/subjects/{make_uscc(999)}/", status=404)
    assert "No credit subject has this code. Check the code, or search by name under Credit search." in html
    html = english("/en/subjects/not-a-code/", status=404)
    assert "The code is not in a valid form. Check the code, or search by name under Credit search." in html
    chinese = Client().get(f"/subjects/{make_uscc(999)}/").content.decode()
    assert "未找到该代码对应的信用主体。请核对代码，或通过信用查询按名称查找。" in chinese


def test_filter_and_search_errors_in_english(world):
    html = english("/en/publicity/penalties/?unit=nowhere&date_from=2026-13-01&page=99", status=400)
    assert "Providing unit “nowhere” is not one of the options; choose from the list" in html
    assert "From date must be a valid date in the form year-month-day (for example 2026-10-01)" in html
    assert "The page must be a whole number from 1 to 50; narrow the filter to see older items" in html
    html = english("/en/search/?q=华", status=400)
    assert "Too few characters for a name search: enter more of the name, or a full code" in html
    chinese = Client().get("/search/?q=华").content.decode()
    assert "名称查询至少需要 2 个字" in chinese  # the search app's own message, unchanged at the Chinese path


def test_progress_by_code_in_english(world):
    html = english("/en/progress/?code=YY-0000-0000-0000-0000", status=404)
    assert (
        '<div class="result bad" id="result">The query code is wrong, or no application has it</div>' in html
    )
    chinese = Client().get("/progress/?code=YY-0000-0000-0000-0000").content.decode()
    assert '<div class="result bad" id="result">查询码不正确，或没有对应的申请</div>' in chinese


def test_the_csv_has_english_headers_under_en(world):
    response = Client().get("/en/publicity/penalties/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Decision number",
        "Decision date",
        "Subject name",
        "Subject code",
        "Providing unit",
        "Published until",
        "Under objection",
    ]
    response = Client().get("/publicity/penalties/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "决定文书号",
        "决定日期",
        "主体名称",
        "主体代码",
        "提供单位",
        "公示截止",
        "异议处理中",
    ]


def test_a_list_duration_is_singular_for_one_month(world):
    from xinyong.lists.models import ListType

    ListType.objects.filter(code="scjg-yzsx").update(duration_months=1)
    html = english("/en/lists/scjg-yzsx/")
    assert re.search(r"<dd>1 month</dd>", html)
    ListType.objects.filter(code="scjg-yzsx").update(duration_months=36)
    assert re.search(r"<dd>36 months</dd>", english("/en/lists/scjg-yzsx/"))
    assert "<dd>36 个月</dd>" in Client().get("/lists/scjg-yzsx/").content.decode()


def test_the_tipoff_form_in_english(world):
    html = english("/en/tipoffs/new")
    assert '<form method="post" action="/en/tipoffs/new"' in html
    assert '<label for="id_subject">Subject reported</label>' in html
    client = Client()
    answer = client.post("/en/tipoffs/new", {"description": "", "subject": ""})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert leftover_chinese(html) == []
    assert "Enter the name or the unified social credit code of the subject reported" in html
    assert "<h2>Not submitted: please correct the following</h2>" in html
    chinese = Client().post("/tipoffs/new", {"description": "", "subject": ""}).content.decode()
    assert "请填写被举报主体的名称或统一社会信用代码" in chinese and "提交未成功，请修改以下内容" in chinese
