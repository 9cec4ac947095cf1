"""`trainfn-gen audit` on the golden train() files (`make audit-goldens`): every generated file must pass it.

One case per golden space (the first listed for it, as the R24 sweep takes), audited on breast_cancer
(classification, and spaces whose task is inferred) or diabetes (regression). Binary, because on three classes
some settings are inert by design (a liblinear solver is swapped for saga on multiclass data). Prints one line per file: calls, findings, seconds,
then every finding. Exit 1 when any file has a finding.

usage: python scripts/audit_goldens.py [--configs 3] [--timeout 120] [--jobs N] [--spaces 02.json,17.json]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    from harness import first_case_per_space
    from trainfn_gen.analyze.audit import run_audit
    from trainfn_gen.data.datasets import load_dataset
    from trainfn_gen.space.load import load_space

    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--spaces", help="comma-separated golden space files (default: all)")
    args = parser.parse_args()
    chosen = first_case_per_space(args.spaces)
    failed = 0
    print(f"{'case':<40} {'calls':>6} {'findings':>9} {'seconds':>8}", flush=True)
    for space, case in chosen.items():
        name = "diabetes" if "regression" in case["args"] else "breast_cancer"
        started = time.monotonic()
        audit = run_audit(ROOT / "golden" / f"{case['name']}.py", load_space(ROOT / "golden" / "spaces" / space),
                          load_dataset(f"sklearn:{name}"), configs=args.configs, timeout=args.timeout, jobs=args.jobs)
        failed += bool(audit.findings)
        print(f"{case['name']:<40} {len(audit.calls):>6} {len(audit.findings):>9} {time.monotonic() - started:>8.1f}", flush=True)
        for finding in audit.findings:
            print(f"  {finding['check']}: {finding['message']}", flush=True)
    print(f"{len(chosen)} files, {failed} with findings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
