"""A `.py` search space is code that runs: it runs in a child process, under a time limit, and only its space comes back.

The child imports the file (its folder first on sys.path, no bytecode written), calls get_configspace() and
writes the space as ConfigSpace's serialized dictionary (JSON) after a marker, so nothing the file prints,
patches or leaves behind reaches the generator, and a later file of the same `sync` meets a clean process.
A file that raises, hangs, ends the process or outlives TIME_LIMIT is one GeneratorError naming it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from ConfigSpace import ConfigurationSpace
from trainfn_gen.errors import GeneratorError

TIME_LIMIT = 60.0  # seconds for the import and get_configspace() together
_MARKER = "\n--trainfn-gen space--\n"
_CHILD = "from trainfn_gen.space.python_space import child; child()"


def load_python(path: Path) -> ConfigurationSpace:
    """The space that the file's get_configspace() returns, computed in a child process."""
    command = [sys.executable, "-B", "-c", _CHILD, str(path.resolve())]
    try:
        done = subprocess.run(command, check=False, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        message = f"importing it and calling get_configspace() took longer than {TIME_LIMIT:g} s, so it was stopped; a .py space is code that runs and must return its space promptly."
        raise GeneratorError(message, source=path.name) from None
    if _MARKER not in done.stdout:
        said = done.stderr.strip().splitlines()[-1:] or [""]
        detail = f" (it said: {said[0]})" if said[0] else ""
        message = f"the process importing it ended with exit status {done.returncode} before get_configspace() returned a space{detail}."
        raise GeneratorError(message, source=path.name)
    answer = json.loads(done.stdout.rpartition(_MARKER)[2])
    if "error" in answer:
        raise GeneratorError(answer["error"], source=path.name)
    return ConfigurationSpace.from_serialized_dict(answer["space"])


def child() -> None:
    """In the child: the reply is the marker, then {"space": dict} or {"error": message}, on the real stdout."""
    where = sys.argv[1]
    reply = sys.stdout
    sys.stdout = sys.stderr  # what the file prints never mixes with the reply
    try:
        answer = {"space": _space(where)}
    except GeneratorError as error:
        answer = {"error": error.message}
    except BaseException as exc:  # noqa: BLE001 - user code may raise anything, SystemExit included
        answer = {"error": _python_error(exc, where)}
    reply.write(_MARKER + json.dumps(answer))
    reply.flush()


def _space(where: str) -> dict:
    sys.path.insert(0, str(Path(where).parent))  # the file may import its neighbours
    loader = importlib.machinery.SourceFileLoader("_trainfn_gen_space", where)  # any suffix, not only .py
    spec = importlib.util.spec_from_file_location("_trainfn_gen_space", where, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    function = getattr(module, "get_configspace", None)
    if not callable(function):
        raise GeneratorError("defines no get_configspace(); define one that returns a ConfigurationSpace.")
    space = function()
    if not isinstance(space, ConfigurationSpace):
        raise GeneratorError(f"get_configspace() returned {type(space).__name__}, not a ConfigurationSpace.")
    try:
        return json.loads(json.dumps(space.to_serialized_dict()))
    except (TypeError, ValueError) as exc:
        raise GeneratorError(f"get_configspace() returned a space that ConfigSpace cannot write as JSON ({exc}).") from None


def _python_error(exc: BaseException, where: str) -> str:
    """The exception, at the deepest line of the user's file that its traceback passes."""
    line = exc.lineno if isinstance(exc, SyntaxError) and exc.filename == where else None
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == where:
            line = frame.tb_lineno
        frame = frame.tb_next
    detail = exc.msg if isinstance(exc, SyntaxError) else " ".join(str(exc).split())
    said = f": {detail.rstrip('.')}" if detail else ""
    at = f"line {line}: " if line else ""
    return f"{at}{type(exc).__name__}{said}."
