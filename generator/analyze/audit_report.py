"""`trainfn-gen audit` output: a table for people, JSON for tools, and the progress line of each call."""

from __future__ import annotations

import json
import statistics

from .audit import Audit, describe


def summary(audit: Audit) -> dict:
    seconds = [r["seconds"] for r in audit.results if r.get("status") == "ok"]
    statuses = [r["status"] for r in audit.results]
    configs = {repr(sorted(c["config"].items())) for c in audit.calls}
    return {
        "calls": len(audit.calls), "configurations": len(configs), "ok": statuses.count("ok"),
        "crashed": statuses.count("crash"), "timed_out": statuses.count("timeout"), "skipped": statuses.count("skipped"),
        "seconds_median": round(statistics.median(seconds), 3) if seconds else None,
        "seconds_max": round(max(seconds), 3) if seconds else None, "findings": len(audit.findings),
    }


def to_json(audit: Audit, dataset: str) -> str:
    calls = []
    for call, result in zip(audit.calls, audit.results):
        entry = {k: call[k] for k in ("role", "config", "numpy", "pandas", "given_test", "seed", "budget", "shuffle")}
        entry.update({k: result[k] for k in ("status", "loss", "error", "site", "models") if k in result})
        entry["seconds"] = round(result["seconds"], 3)
        calls.append(entry)
    document = {"file": str(audit.file), "dataset": dataset, "summary": summary(audit), "findings": audit.findings, "calls": calls}
    return json.dumps(document, indent=2, default=str) + "\n"


def to_text(audit: Audit, dataset: str) -> str:
    s = summary(audit)
    timing = f"wall time per call: median {s['seconds_median']} s, max {s['seconds_max']} s" if s["seconds_median"] is not None else "no call returned"
    head = (f"audit of {audit.file.name} on {dataset}: {s['calls']} calls ({s['configurations']} configurations), "
            f"{s['ok']} returned, {s['crashed']} crashed, {s['timed_out']} timed out, {s['skipped']} skipped; {timing}")
    lines = [head]
    if audit.findings:
        width = max(len(f["check"]) for f in audit.findings)
        lines.append(f"{'check':<{width}}  finding")
        lines += [f"{f['check']:<{width}}  {f['message']}" for f in audit.findings]
    count = len(audit.findings)
    lines.append(f"{audit.file.name}: {count} finding{'s' if count != 1 else ''}" if count else f"{audit.file.name}: nothing found")
    return "\n".join(lines) + "\n"


def progress_line(done: int, total: int, call: dict, result: dict) -> str:
    """One line per finished call: `[done/total] what: loss or error (seconds)`."""
    what = f"loss {result['loss']:.6g}" if result["status"] == "ok" else f"{result['status']}: {result.get('error', '')[:80]}"
    return f"[{done}/{total}] {describe(call)}: {what} ({result['seconds']:.2f} s)"
