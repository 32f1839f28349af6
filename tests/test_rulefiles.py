"""childfirst.rulefiles.RuleFolder: rule files are loaded once and again only when they change."""

import os

import pytest

from childfirst import rulefiles


class Clock:
    def __init__(self):
        self.now = 0.0

    def shift(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock()
    monkeypatch.setattr(rulefiles.time, "monotonic", lambda: fixed.now)
    return fixed


def _loader(calls):
    def load(paths):
        calls.append([p.name for p in paths])
        return [p.read_text() for p in paths]

    return load


def test_a_folder_is_loaded_once_then_again_when_a_file_changes(tmp_path, clock):
    (tmp_path / "b.yaml").write_text("b")
    (tmp_path / "a.yaml").write_text("a")
    (tmp_path / "notes.txt").write_text("not a rule file")
    calls = []
    folder = rulefiles.RuleFolder(_loader(calls))
    assert folder.current(tmp_path) == ["a", "b"]
    assert folder.current(tmp_path) == ["a", "b"]
    assert calls == [["a.yaml", "b.yaml"]]  # in name order, .yaml only, read once
    (tmp_path / "a.yaml").write_text("a, changed")
    os.utime(tmp_path / "a.yaml", ns=(1, 1))  # a different time, whatever the file system
    assert folder.current(tmp_path) == ["a", "b"]  # not looked at again within a second
    clock.shift(2)
    assert folder.current(tmp_path) == ["a, changed", "b"]
    assert len(calls) == 2


def test_one_file_is_loaded_and_a_missing_one_gives_no_paths(tmp_path, clock):
    calls = []
    folder = rulefiles.RuleFolder(_loader(calls))
    path = tmp_path / "clocks.yaml"
    assert folder.current(path) == []
    path.write_text("rules")
    clock.shift(2)
    assert folder.current(path) == ["rules"]
    assert calls == [[], ["clocks.yaml"]]
