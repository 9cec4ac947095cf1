"""Issue 22 item 1: what each generated train() says about a hyperparameter, its code does.

Every file the generator produces from the goldens' spaces (each golden case's flags), from ../shared/corpus and
from ../shared/wild (default flags) is generated in memory once per session, then checked by
trainfn_gen.analyze.claims: (a) a hyperparameter stated used (not in the R06 block) is read with cfg.get and its
value reaches an estimator or step argument or a branch; (b) one stated unused is never read; (c) a comment that
maps a hyperparameter (onto an argument) is followed by code that reads it (and passes that argument).
Spaces the generator refuses are counted and named in the summary test, never dropped silently.
"""

from __future__ import annotations

import pytest
from harness import (
    CORPUS,
    GOLDEN,
    WILD,
    generated_files,
    golden_cases,
    load_space,
    wild_expectations,
)
from trainfn_gen.analyze.claims import claims, comment_claims, stated_unused_block, used_claims

SHARED = CORPUS.is_dir() and WILD.is_dir()


def generated() -> tuple[list[tuple[str, str, list[str]]], list[str]]:
    """([(label, source, hyperparameter names)], [refused spaces]); harness caches the generation per session."""
    files, refused = generated_files()
    return [(label, source, list(space)) for label, source, space in files], refused


def test_every_generated_file_keeps_its_claims_about_each_hyperparameter():
    files, _ = generated()
    broken = [f"{label}: {name}: {message}" for label, source, names in files for name, message in claims(source, names)]
    assert not broken, f"{len(broken)} broken claim(s) in {len(files)} generated files:\n" + "\n".join(broken)


def test_the_files_checked_and_the_refusals_are_counted():
    files, refused = generated()
    goldens = [f for f in files if f[0].startswith("golden/")]
    assert len(goldens) == len(golden_cases())
    stated = sum(len(set(names) - stated_unused_block(source, names)) for _, source, names in files)
    assert stated > 500, f"only {stated} hyperparameters stated used in {len(files)} files: is the R06 block read right?"
    if not SHARED:
        pytest.skip(f"../shared is absent: checked the {len(goldens)} goldens only; corpus and wild spaces not checked")
    expected = wild_expectations()
    wrongly = [r for r in refused if r.startswith("wild/") and expected.get(r.split(":")[0][len("wild/"):]) == "generate"]
    assert not wrongly, f"wild spaces a user expects generated were refused: {wrongly}"
    print(f"claims: {len(files)} files checked ({len(goldens)} goldens), {len(refused)} spaces refused: " + "; ".join(refused))


# --- each check fails on a planted file -----------------------------------------------------------------------

SVM_C = 'C=as_float(cfg.get("svm_C"), 1.0, 0.001, 1000.0),'


def _golden() -> tuple[str, list[str]]:
    source = (GOLDEN / "02_loss_hpo.py").read_text()
    assert SVM_C in source, "the planted tests edit golden/02_loss_hpo.py's SVC(C=...) line"
    return source, list(load_space("02.json"))


def test_planted_read_that_reaches_nothing_is_found():
    source, names = _golden()
    printed = source.replace(SVM_C, "C=1.0, verbose=print(" + SVM_C[2:].rstrip(",") + ") or False,")
    assert [n for n, _ in used_claims(printed, names)] == ["svm_C"]
    dropped = source.replace("    algorithm = as_choice(", '    c_value = as_float(cfg.get("svm_C"), 1.0, 0.001, 1000.0)\n    algorithm = as_choice(')
    dropped = dropped.replace(SVM_C, "C=1.0,")
    assert [n for n, _ in used_claims(dropped, names)] == ["svm_C"]
    never = source.replace(SVM_C, "C=1.0,")
    assert ["never read" in m for n, m in used_claims(never, names) if n == "svm_C"] == [True]


def test_planted_read_of_a_hyperparameter_stated_unused_is_found():
    source, names = _golden()
    planted = source.replace("    # R12: the hpo facade", "    # R06: hyperparameters of the space that no estimator argument uses:\n"
                             "    #   svm_C is not used: planted\n    # R12: the hpo facade")
    found = list(used_claims(planted, names))
    assert [n for n, _ in found] == ["svm_C"] and "stated unused" in found[0][1]


def test_planted_comment_that_maps_onto_an_argument_not_passed_is_found():
    source, names = _golden()
    wrong_argument = source.replace("                " + SVM_C, "                # svm_C is log2-encoded: gamma = 2 ** svm_C\n                " + SVM_C)
    found = list(comment_claims(wrong_argument, names))
    assert [n for n, _ in found] == ["svm_C"] and "gamma=" in found[0][1]
    not_read = source.replace("                " + SVM_C, "                # svm_gamma: the kernel width\n                " + SVM_C)
    assert [n for n, _ in comment_claims(not_read, names)] == ["svm_gamma"]
    right = source.replace("                " + SVM_C, "                # svm_C is log2-encoded: C = 2 ** svm_C\n                " + SVM_C)
    assert list(comment_claims(right, names)) == []
