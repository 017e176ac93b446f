"""`xinyong report CODE -o FILE.pdf`."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.support.reports import COMPANY, pdf_text
from xinyong.reports.models import Report
from xinyong.reports.selectors import report_verify

pytestmark = pytest.mark.django_db


def test_report_command_writes_the_pdf(known, tmp_path):
    out = io.StringIO()
    target = tmp_path / "华信.pdf"
    call_command(
        "report", COMPANY, "-o", str(target), "--kind", "compliance", "--purpose", "投标", stdout=out
    )
    report = Report.objects.get()
    printed = out.getvalue()
    code = re.search(r"验证码：(\w+)", printed).group(1)
    assert f"报告编号：{report.number}" in printed and f"SHA-256：{report.sha256}" in printed
    assert "信用主体：北京华信科技有限公司" in printed and "收录信息 2 条" in printed
    assert (report.kind, report.purpose, report.requested_by) == ("compliance", "投标", "cli")
    data = target.read_bytes()
    assert "专项信用报告" in pdf_text(data)
    assert report_verify(
        number=report.number, code=code, sha256=hashlib.sha256(data).hexdigest()
    ).file_matches


def test_unknown_subject(reference, tmp_path):
    with pytest.raises(CommandError, match="subject.not_found"):
        call_command("report", "91110108000999993T", "-o", str(tmp_path / "x.pdf"), stdout=io.StringIO())
