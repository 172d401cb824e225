"""A model file truncated or rewritten while loaded: llama.cpp maps it into memory, so reading its weights would
kill Parley (SIGBUS). Generation, scoring and evaluation check the file first and refuse with a message.

The checks run in a child process: without them the process dies, which must not take the test run with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SCRIPT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from desktop.core.prompting.sampling import SamplingParams
    from desktop.inference.backend import GenerationRequest, InferenceError, LoadOptions
    from desktop.inference.llama.backend import LlamaBackend

    path = Path(sys.argv[1])
    backend = LlamaBackend()
    backend.load(path, LoadOptions(n_ctx=256))
    request = GenerationRequest("Hello", SamplingParams(temperature=0.0, max_tokens=4, seed=1))
    backend.generate(request, lambda text: None, lambda: False)  # works while the file is whole
    if sys.argv[2] == "truncate":
        with open(path, "r+b") as file:
            file.truncate(os.path.getsize(path) // 2)
    else:
        os.utime(path, ns=(0, 0))
    backend.reset_cache()
    calls = [
        ("generate", lambda: backend.generate(request, lambda text: None, lambda: False)),
        ("distribution", lambda: backend.next_token_distribution("Hello")),
        ("continuations", lambda: backend.continuation_logprobs("Hello", [" world"])),
        ("score", lambda: backend.score_text("Hello world", lambda done, total: None, lambda: False)),
    ]
    for name, call in calls:
        try:
            call()
        except InferenceError as exc:
            print(name, "refused:", exc, flush=True)
        else:
            print(name, "ran", flush=True)
    backend.unload()
    print("alive", flush=True)
""")


@pytest.mark.parametrize("change", ["truncate", "touch"])
def test_a_changed_model_file_is_refused_and_parley_survives(builtin_model: Path, tmp_path: Path,
                                                             change: str) -> None:
    copy = tmp_path / "copy of model.gguf"
    shutil.copyfile(builtin_model, copy)
    size = copy.stat().st_size
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(copy), change], capture_output=True, text=True,
                            cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, timeout=240, check=False)
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr[-2000:])
    lines = result.stdout.splitlines()
    assert lines[-1] == "alive"
    refused = [line for line in lines if " refused: " in line]
    assert [line.split()[0] for line in refused] == ["generate", "distribution", "continuations", "score"]
    expected = (f"size {size:,} bytes when loaded, {size // 2:,} now" if change == "truncate"
                else "modified since")
    for line in refused:
        assert (f"The model file {copy.name} changed on disk since it was loaded ({expected}). "
                "Reload it from the Models page.") in line
