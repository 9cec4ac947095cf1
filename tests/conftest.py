import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _absl_handler_on_the_real_stderr():
    """TensorFlow's absl log handler keeps the stderr of the test that imported keras, which is pytest's
    capture file. A later `logging.config.dictConfig` (SMAC sets up its logging that way, test_run.py)
    closes every handler, and absl then closes that stream unless it is a real one, which crashes pytest
    at its own teardown. Point the handler at the real stderr after each test that may have imported it."""
    yield
    absl_logging = sys.modules.get("absl.logging")
    if absl_logging is not None:
        absl_logging.get_absl_handler().python_handler.setStream(sys.__stderr__)


@pytest.fixture(scope="module")
def torch_one_thread():
    """Tests run beside other jobs on small CI machines: one intra-op torch thread avoids oversubscription."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
