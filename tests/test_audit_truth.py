"""Issue 25: the ground truth of the LLM-written functions' faults (tests/data/llm_written_faults.json) is well formed
and points at real code, and scripts/audit_truth.py scores check rows and audit findings against it as it says."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "tests" / "data" / "llm_written_faults.json").read_text())
FUNCTIONS = ROOT.parent / "shared" / "llm_written"
RULES = set(re.findall(r"^\| (R\d\d) \|", (ROOT.parent / "shared" / "RULES.md").read_text(), re.MULTILINE)) if (ROOT.parent / "shared" / "RULES.md").is_file() else set()


def _script():
    spec = importlib.util.spec_from_file_location("audit_truth", ROOT / "scripts" / "audit_truth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not FUNCTIONS.is_dir(), reason="../shared/llm_written is not here")
def test_every_fault_names_a_rule_and_a_line_of_its_function():
    assert len(TRUTH["functions"]) == 14
    for name, entry in TRUTH["functions"].items():
        lines = (FUNCTIONS / name / "train.py").read_text().splitlines()
        assert entry["faults"], name
        for fault in entry["faults"]:
            assert not RULES or fault["rule"] in RULES, (name, fault["rule"])
            assert 1 <= fault["line"] <= len(lines), (name, fault)
            assert fault["established"].startswith("reading") and fault["description"]
            for spec in fault["check"]:
                assert 1 <= spec["lines"][0] <= spec["lines"][1] <= len(lines), (name, spec)
            for spec in fault["audit"]:
                re.compile(spec["text"])


def test_scoring_counts_found_missed_and_false_alarms():
    script = _script()
    entry = {"dataset": "sklearn:iris", "faults": [
        {"rule": "R13", "line": 5, "check": [{"rules": ["R13"], "lines": [5, 6]}], "audit": [{"check": "crash", "text": r"line 5\b"}]},
        {"rule": "R06", "line": 1, "check": [{"rules": ["R06"], "lines": [1, 1]}], "audit": [{"check": "inert", "text": r"\btol\b"}]},
        {"rule": "R16", "line": 9, "check": [{"rules": ["R16"], "lines": [9, 9]}], "audit": []},
    ]}
    rows = [{"code": "R13", "line": 6, "message": "x"}, {"code": "R05", "line": 3, "message": "128"},
            {"code": "R07", "line": 4, "message": "int", "severity": "note"}]
    items = [{"check": "crash", "message": "AttributeError at line 5: X.values"}, {"check": "inert", "message": "alpha (=1: same loss)"}]
    result = script.score("f", entry, rows, items)
    assert result["found_by_audit"] == [0] and result["found_by_check"] == [0] and result["missed"] == [1, 2]
    assert len(result["audit_false_alarms"]) == 1 and "alpha" in result["audit_false_alarms"][0]
    assert result["check_errors"] == 2 and result["check_notes"] == 1
    assert len(result["check_false_alarms"]) == 1 and len(result["check_note_false_alarms"]) == 1
