"""The README keeps its promises (issue 13): every `XINYONG_*` name the code reads is documented, the two set-up
commands match pyproject, the files the tour uses exist, and the licence is the one pyproject declares."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NAME = re.compile(r"\bXINYONG_[A-Z0-9_]*[A-Z0-9]\b")


def names_in_code() -> dict[str, str]:
    """Every `XINYONG_*` name in the code, tests and CI script, with one file that uses it."""
    files = [
        *ROOT.glob("xinyong/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        ROOT / "conftest.py",
        ROOT / ".ci/run",
    ]
    found: dict[str, str] = {}
    for path in files:
        if path.is_file() and path.name != "test_readme.py":
            for name in NAME.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_setting_read_in_code_is_in_the_readme():
    names = names_in_code()
    assert {"XINYONG_HOME", "XINYONG_DATABASE_URL", "XINYONG_PUBLIC_URL", "XINYONG_LOG_LEVEL"} <= set(names)
    section = README[README.index("## Configuration") :]
    missing = {name: path for name, path in names.items() if f"`{name}`" not in section}
    assert missing == {}, "add these to the README's Configuration section"


def test_the_two_setup_commands_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "pip install . && xinyong up\n" in README
    assert "pip install -e '.[test]' && pytest\n" in README
    assert project["scripts"]["xinyong"] == "xinyong.cli:main"
    assert "pytest" in " ".join(project["optional-dependencies"]["test"])


def test_the_tour_files_exist():
    for path in re.findall(r"\bdocs/[\w./-]+\.(?:csv|md|json)\b", README):
        assert (ROOT / path).is_file(), path
    sample = (ROOT / "docs/samples/xk-sample.csv").read_text(encoding="utf-8").splitlines()
    assert len(sample) == 3 and sample[2].count(",99,") == 1  # the row the tour's sed command fixes


def test_the_licence_is_the_apache_2_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (project["license"], project["license-files"]) == ("Apache-2.0", ["LICENSE"])
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text and len(text.splitlines()) == 202
