"""The one strict YAML reader (core/yamlstrict.py) every reference file goes through (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.core.yamlstrict import StrictYamlError, yaml_load_strict, yaml_mapping_strict


def test_a_plain_document_loads_with_safe_types():
    data = yaml_mapping_strict("year: 2027\nholidays:\n  - {date: 2027-10-01, name: 国庆节}\n")
    assert data == {"year": 2027, "holidays": [{"date": dt.date(2027, 10, 1), "name": "国庆节"}]}


def test_a_repeated_key_is_refused_with_its_line():
    with pytest.raises(StrictYamlError) as exc:
        yaml_load_strict("version: '1'\nitems:\n  - code: a\n    code: b\n")
    assert (exc.value.line, exc.value.problem) == (4, "重复的键 'code'")
    assert str(exc.value) == "第 4 行：重复的键 'code'"


def test_a_repeated_top_level_key_is_refused():
    with pytest.raises(StrictYamlError) as exc:
        yaml_load_strict("a: 1\nb: 2\na: 3\n")
    assert exc.value.line == 3


def test_a_tab_in_the_indentation_is_refused_with_its_line():
    with pytest.raises(StrictYamlError) as exc:
        yaml_load_strict("a:\n\t- 1\n")
    assert exc.value.line == 2 and "\\t" in exc.value.problem


def test_a_syntax_error_names_its_line():
    with pytest.raises(StrictYamlError) as exc:
        yaml_load_strict("year: [2027\n")
    assert exc.value.line == 2


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "", "42\n"])
def test_the_top_level_must_be_a_mapping_where_asked(text):
    with pytest.raises(StrictYamlError) as exc:
        yaml_mapping_strict(text)
    assert exc.value.line == 1 and exc.value.problem.startswith("顶层应为映射")


def test_python_tags_are_not_constructed():
    with pytest.raises(StrictYamlError):
        yaml_load_strict("a: !!python/object/apply:os.system ['true']\n")
