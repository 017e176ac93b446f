"""XLSX shared-string and cell caps (issue 12: a 42 MB XLSX with 6 M shared strings took 1 GB and 7.5 minutes
to refuse). The table is counted from the zip before openpyxl loads it; reading stops at the cell cap. Small
files with low caps stand for the big ones."""

import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from xinyong.core.errors import DomainError
from xinyong.intake.files import FileRefused, open_rows
from xinyong.intake.models import Submission
from xinyong.intake.tests.test_file_import import _import
from xinyong.intake.tests.test_xlsx import make_xlsx

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/strs.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>',
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet"/><Relationship Id="rId2" '
    'Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings"/></Relationships>',
}


def shared_strings_xlsx(path: Path, column: list[str]) -> Path:
    """A workbook as Excel writes it: one column whose cells point into the shared-string table (openpyxl
    itself writes inline strings)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>' for i in range(1, len(column) + 1)
    )
    table = "".join(f"<si><t>{text}</t></si>" for text in column)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>'
        )
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}" count="{len(column)}">{table}</sst>')
    return path


def _refusal(path: Path, **limits) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        info, rows = open_rows(path, **limits)
        list(rows)
    return caught.value


def test_a_table_over_the_cap_is_refused_and_one_at_the_cap_is_read(tmp_path):
    path = shared_strings_xlsx(tmp_path / "a.xlsx", ["名称", *[f"公司{i}" for i in range(49)]])
    error = _refusal(path, max_shared_strings=49)
    assert (error.code, error.details) == ("file.xlsx_too_many_strings", {"limit": 49})
    assert (
        error.message
        == "工作簿的共享字符串表超过 49 项，文件未导入。请拆分后分批上传，或另存为 CSV UTF-8 后上传。"
    )
    info, rows = open_rows(path, max_shared_strings=50)
    assert len(list(rows)) == 49


def test_the_table_is_counted_before_openpyxl_opens_the_workbook(tmp_path):
    """No workbook part at all (openpyxl would fail to open it): the table named by [Content_Types].xml,
    under another name and with a namespace prefix, is refused first; a chunk boundary counts nothing twice."""
    path = tmp_path / "strings.xlsx"
    entries = "".join(f"<x:si><x:t>{i:06d}</x:t></x:si>" for i in range(30_000))  # ~900 KB: four chunks
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/strs.xml", f'<x:sst xmlns:x="urn:x" count="1">{entries}</x:sst>')
    assert _refusal(path, max_shared_strings=29_999).code == "file.xlsx_too_many_strings"
    assert _refusal(path, max_shared_strings=30_000).code == "file.xlsx_invalid"  # now openpyxl's turn


def test_reading_stops_at_the_cell_cap(tmp_path):
    path = make_xlsx(tmp_path, [["a", "b", "c", "d"], *[[1, 2, 3, 4]] * 9])  # 40 cells
    error = _refusal(path, max_cells=30)
    assert (error.code, error.details) == ("file.xlsx_too_many_cells", {"row": 8, "limit": 30})
    info, rows = open_rows(path, max_cells=40)
    assert len(list(rows)) == 9


@pytest.mark.django_db
@override_settings(XINYONG_XLSX_MAX_SHARED_STRINGS=5)
def test_the_import_reads_the_cap_from_the_settings(officer, tmp_path):
    path = shared_strings_xlsx(tmp_path / "a.xlsx", ["XK_XDR_MC", *[f"公司{i}" for i in range(5)]])
    with pytest.raises(DomainError) as caught:
        _import(officer, path)
    assert (caught.value.code, caught.value.status) == ("file.xlsx_too_many_strings", 422)
    assert Submission.objects.count() == 0
