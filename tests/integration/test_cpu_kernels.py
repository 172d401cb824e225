"""The portable build's CPU kernels with the built-in model: Parley loads the best variant this CPU and OS allow,
and the variants an older CPU gets (AVX2 without AVX-512, plain x86-64 without AVX) run the model too. Kernels load
once per process, so each case runs in a fresh one; the same variant twice gives the same reply exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.inference.llama.kernels import LIB_DIR, choose, os_flags, variant_files

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = variant_files(LIB_DIR)
CHILD = """
import json, sys
from pathlib import Path
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.environment import engine_environment
from desktop.inference.llama.backend import LlamaBackend

backend = LlamaBackend()
loaded = backend.load(Path(sys.argv[1]), LoadOptions(n_ctx=512, n_threads=2))
gemma = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
prompt = gemma.render([{"role": "user", "content": "Name three colours."}]).text
pieces = []
backend.generate(GenerationRequest(prompt, SamplingParams(temperature=0.0, max_tokens=8, seed=3), gemma.stop),
                 pieces.append, lambda: False)
print(json.dumps({"summary": loaded.offload_summary, "reply": "".join(pieces),
                  "record": engine_environment(loaded)["cpu_kernels"]}))
"""

needs_variants = pytest.mark.skipif(not SHIPPED, reason="this llama.cpp build has one CPU library "
                                    "(PARLEY_CPU_VARIANTS=off, a native build, or Apple)")


def run(model: Path, variant: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PARLEY_CPU_VARIANT"}
    if variant:
        env["PARLEY_CPU_VARIANT"] = variant
    done = subprocess.run([sys.executable, "-c", CHILD, str(model)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@needs_variants
def test_the_best_allowed_kernels_run_the_model_and_are_named(builtin_model: Path) -> None:
    best = choose(SHIPPED, os_flags())
    first, again = run(builtin_model), run(builtin_model)
    assert first["summary"] == f"CPU · {best.label} kernels · 2 threads"
    assert first["record"] == best.record
    assert first["reply"] and first == again  # identical input, identical output


@needs_variants
@pytest.mark.parametrize(("variant", "label"), [("haswell", "AVX2"), ("x64", "x86-64")])
def test_an_older_cpus_kernels_run_the_model(builtin_model: Path, variant: str, label: str) -> None:
    result = run(builtin_model, variant)
    assert result["summary"] == f"CPU · {label} kernels · 2 threads"
    assert result["record"] == f"{variant} ({label}) forced" and result["reply"]


def test_a_single_library_build_or_the_variants_are_all_there() -> None:
    """What install-llama.sh builds: every x86-64 variant ggml has, so no CPU is left on slow kernels."""
    if not SHIPPED:
        pytest.skip("one CPU library in this build")
    if sys.platform.startswith("linux") and "x64" in SHIPPED:
        assert {"x64", "sse42", "sandybridge", "haswell", "skylakex", "icelake", "zen4", "alderlake",
                "sapphirerapids"} <= set(SHIPPED)
