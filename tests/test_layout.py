"""Issue 24: the package layout says what each module is for, and imports go one way.

Every import of the generator (lazy imports inside functions included) is read from the source. A package
may import only the packages below it; the module graph has no cycle. The layers, lowest first:

    errors, the root package's __version__
    space, data            reading a search space; datasets and their profile
    knowledge              estimators, families, preprocessing steps, roles, refusals
    engine                 detection, plan, render, format, write, and the options that steer them
    analyze, run           check/audit; a SMAC run, its report and best/
    commands               the CLI, the Python API, sync, demo, explain
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "generator"
BASE = {"errors", ""}  # "" is the root package (its __version__)
ALLOWED = {
    "space": BASE,
    "data": BASE,
    "knowledge": BASE | {"space"},
    "engine": BASE | {"space", "data", "knowledge"},
    "analyze": BASE | {"space", "data", "knowledge", "engine"},
    "run": BASE | {"space", "data", "knowledge", "engine"},
    "commands": BASE | {"space", "data", "knowledge", "engine", "analyze", "run"},
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The generator modules `path` imports, as dotted names below trainfn_gen ("" for the root package)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name[len("trainfn_gen."):] for a in node.names if a.name.startswith("trainfn_gen.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1] if node.level > 1 else base
                target = ".".join(base + (node.module.split(".") if node.module else []))
            elif node.module and (node.module == "trainfn_gen" or node.module.startswith("trainfn_gen.")):
                target = node.module[len("trainfn_gen."):] if "." in node.module else ""
            else:
                continue
            # `from pkg import module` imports the module; `from module import name` the module itself
            modules = [f"{target}.{a.name}".lstrip(".") for a in node.names if _exists(f"{target}.{a.name}".lstrip("."))]
            found |= set(modules) if modules else {target}
    return found - {here}


def _exists(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in sorted(ROOT.rglob("*.py"))}


def test_every_module_lives_in_a_package_by_job():
    top = {p.stem for p in ROOT.glob("*.py")}
    assert top == {"__init__", "__main__", "errors"}, f"modules outside the packages: {sorted(top - {'__init__', '__main__', 'errors'})}"
    assert {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} == set(ALLOWED)


def test_packages_import_only_the_layers_below_them():
    wrong = []
    for module, imports in _graph().items():
        layer = module.split(".")[0]
        if layer not in ALLOWED:
            continue  # the root package, __main__ and errors: the facade and the base
        for target in imports:
            if target.split(".")[0] not in ALLOWED[layer] | {layer}:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports that climb the layers:\n" + "\n".join(sorted(wrong))


def test_analyze_and_run_do_not_import_each_other():
    graph = _graph()
    crossing = [f"{m} -> {t}" for m, ts in graph.items() for t in ts
                if {m.split(".")[0], t.split(".")[0]} == {"analyze", "run"}]
    assert not crossing


def test_the_module_graph_has_no_cycle():
    graph = {m: {t for t in ts if t in _graph_nodes()} for m, ts in _graph().items() if m}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def _graph_nodes() -> set[str]:
    return {_module(p) for p in ROOT.rglob("*.py")}


def test_the_layering_check_sees_a_climbing_import(tmp_path, monkeypatch):
    """The checks above can fail: a space module importing the engine is reported."""
    fake = tmp_path / "generator"
    for package in ALLOWED:
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("")
    (fake / "space" / "load.py").write_text("from trainfn_gen.engine.plan import build\n")
    (fake / "engine" / "plan.py").write_text("from ..space import load\n\ndef build():\n    pass\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake)
    graph = _graph()
    assert graph["space.load"] == {"engine.plan"}
    assert graph["engine.plan"] == {"space.load"}
    try:
        test_packages_import_only_the_layers_below_them()
    except AssertionError as error:
        assert "space.load -> engine.plan" in str(error)
    else:
        raise AssertionError("a climbing import was not reported")
    try:
        test_the_module_graph_has_no_cycle()
    except AssertionError as error:
        assert "engine.plan -> space.load" in str(error) or "space.load -> engine.plan" in str(error)
    else:
        raise AssertionError("a cycle was not reported")


# Issue 24, part 2: the space is read once. Only the loading stage (space/load.py, space/model.py's
# space_model) touches ConfigSpace's objects; the rule engine, the knowledge it consults and `explain`
# query the model (space/model.py). The analyzers and the run side sample configurations and keep the
# ConfigurationSpace: they are not the generate path.
MODEL_ONLY = ("engine", "knowledge", "commands.explanation")
# Names of ConfigSpace's API that the model does not have: reading one means reading a raw object.
RAW_API = frozenset({"parent_conditions_of", "child_conditions_of", "forbidden_clauses", "is_forbidden_value", "get_hyperparameter",
                     "get_hyperparameters", "get_conditions", "get_forbiddens", "get_parents_of", "get_children_of", "sequence", "to_vector"})


def _raw_reads(path: Path) -> list[str]:
    """The imports of ConfigSpace (or of space/hyperparameters.py, its helpers on raw objects), of the model's
    builder, and the reads of ConfigSpace-only attributes in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "ConfigSpace"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "ConfigSpace" or node.module.endswith("space.hyperparameters"):
                found.append(f"from {node.module} import ...")
            found += [f"from {node.module} import {a.name}" for a in node.names if a.name == "space_model"]
        elif isinstance(node, ast.Attribute) and node.attr in RAW_API:
            found.append(f".{node.attr} (line {node.lineno})")
    return found


def _model_only_modules() -> list[Path]:
    return [p for p in sorted(ROOT.rglob("*.py")) if _module(p).startswith(MODEL_ONLY)]


def test_only_the_loading_stage_touches_configspace_objects():
    assert len(_model_only_modules()) > 20
    wrong = {_module(p): reads for p in _model_only_modules() if (reads := _raw_reads(p))}
    assert not wrong, f"modules past the loading stage that read raw ConfigSpace objects: {wrong}"


def test_the_rule_engine_loads_without_configspace():
    """Importing every engine and knowledge module but the pipeline (which calls the loader) loads no ConfigSpace."""
    import subprocess

    modules = sorted(_module(p) for p in _model_only_modules() if _module(p) not in ("engine.pipeline", "commands.explanation"))
    code = "import sys\n" + "".join(f"import trainfn_gen.{m}\n" for m in modules) + "print('ConfigSpace' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", result.stderr


def test_the_raw_read_check_sees_one(tmp_path):
    module = tmp_path / "detect.py"
    module.write_text("from ConfigSpace.hyperparameters import Constant\n\ndef f(space):\n    return space.parent_conditions_of['a']\n")
    assert _raw_reads(module) == ["from ConfigSpace.hyperparameters import ...", ".parent_conditions_of (line 4)"]
