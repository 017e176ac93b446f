"""The mypy baseline only shrinks (tools/mypy_gate.py): the comparison, on mypy's own output format."""

from collections import Counter

from tools.mypy_gate import compare, parse, read_baseline, write_baseline

OUTPUT = """\
xinyong/a.py:3: error: Incompatible return value type (got "int", expected "str")  [return-value]
xinyong/a.py:9: error: Incompatible return value type (got "int", expected "str")  [return-value]
xinyong/b.py:1: error: Name "x" is not defined  [name-defined]
xinyong/b.py:2: note: See https://mypy.readthedocs.io
Found 3 errors in 2 files (checked 2 source files)
"""


def test_errors_are_counted_per_file_and_code():
    assert parse(OUTPUT) == Counter(
        {("xinyong/a.py", "return-value"): 2, ("xinyong/b.py", "name-defined"): 1}
    )


def test_a_new_error_fails_and_a_fixed_one_asks_to_shrink(tmp_path):
    baseline_file = tmp_path / "baseline.txt"
    write_baseline(
        Counter({("xinyong/a.py", "return-value"): 2, ("xinyong/c.py", "arg-type"): 1}), baseline_file
    )
    grown, fixed = compare(parse(OUTPUT), read_baseline(baseline_file))
    assert grown == ["xinyong/b.py:name-defined: 1 > 0"]
    assert fixed == ["xinyong/c.py:arg-type: 0 < 1"]
