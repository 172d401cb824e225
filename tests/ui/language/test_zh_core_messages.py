"""More of desktop/core's messages under the Chinese interface: the statistics line under a reply and a compare
column, few-shot import formats (OpenAI Evals, promptfoo), template and run record errors, chat import errors,
damaged GGUF headers, experiment files and a model on an engine come through Qt's translator with no English but
names, paths and the file's own field names (quoted, as the person must type them)."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.conversations.export import parse
from desktop.core.conversations.messages import GenerationStats
from desktop.core.engines.config import remote_label, remote_path
from desktop.core.fewshot.dataset import read_table
from desktop.core.fewshot.runs import compare_runs, items_of, template_of
from desktop.core.fewshot.scoring import EvalRun, read_run
from desktop.core.fewshot.template import FewShotTemplate
from desktop.core.instruments.experiment import ColumnResult, Experiment
from desktop.core.models.gguf_file import read_model_info
from tests.ui.language.visible_text import english


def raised(call: Callable[[], object]) -> str:
    with pytest.raises(Exception) as caught:  # each message's own error type is beside the point here
        call()
    return str(caught.value)


def no_english(text: str, folder: Path) -> list[str]:
    """English words left once the folder's paths and the quoted field names and examples are out."""
    text = re.sub(re.escape(str(folder)) + r"[^\s（），。：“”]*", " ", text)
    text = re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'", " ", text)
    return english(text)


def gguf_header(path: Path, version: int, tensors: int, settings: int) -> Path:
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", version, tensors, settings) + bytes(64))
    return path


def test_statistics_lines_are_chinese(chinese: None) -> None:
    stats = GenerationStats(100, 80, 20, 0.05, 42.0, stopped=True, context_full=True)
    line = stats.summary()
    assert "词元" in line and "已停止" in line and "上下文已满" in line, line
    assert not english(line), line
    assert not english(GenerationStats(7, 0, 3, 0.2, 9.5).summary())
    column = ColumnResult.from_stats("", "m", GenerationStats(1, 0, 120, 0.08, 34.1, stopped=True)).summary()
    assert "120 个词元" in column and not english(column), column
    assert stats.file_summary().startswith("100 prompt tokens (80 cached)")  # a Markdown export stays English


def test_core_error_messages_are_chinese(chinese: None, tmp_path: Path) -> None:
    evals = tmp_path / "评测.jsonl"
    evals.write_text('{"input": 5, "ideal": "Paris"}\n', encoding="utf-8")
    no_ideal = tmp_path / "无答案.jsonl"
    no_ideal.write_text('{"input": [{"role": "user", "content": "Hi"}], "ideal": []}\n', encoding="utf-8")
    promptfoo = tmp_path / "promptfoo.csv"
    promptfoo.write_text("question,__expected\nCapital of France?,contains:\n", encoding="utf-8")
    broken_run = tmp_path / "run.json"
    broken_run.write_text("{not json", encoding="utf-8")
    empty_run = EvalRun.from_json({"schema_version": 2, "results": []})
    scored = EvalRun.from_json({"schema_version": 2, "results": [
        {"line": 2, "input": "a", "expected": "b", "output": "b", "passed": True, "prompt_tokens": 3,
         "evaluated_tokens": 3, "generated_tokens": 1, "seconds": 0.1}]})
    experiment = '{"format": "parley-experiment", "columns": [5]}'
    shown = {
        "evals input": raised(lambda: read_table(evals)),
        "evals ideal": raised(lambda: read_table(no_ideal)),
        "promptfoo": raised(lambda: read_table(promptfoo)),
        "run file": raised(lambda: read_run(broken_run)),
        "not a run": raised(lambda: EvalRun.from_json({})),
        "newer run": raised(lambda: EvalRun.from_json({"schema_version": 9, "results": []})),
        "no template": raised(lambda: template_of(empty_run)),
        "no items": raised(lambda: items_of(empty_run)),
        "nothing scored": raised(lambda: compare_runs(empty_run, scored)),
        "template mode": raised(lambda: FewShotTemplate.from_json({"schema_version": 1, "mode": "x"})),
        "template version": raised(lambda: FewShotTemplate.from_json({"schema_version": 1, "version": 0})),
        "chat import": raised(lambda: parse({"messages": [5]})),
        "chat branches": raised(lambda: parse({"messages": [], "parley": {"branches": [
            {"id": 1, "parent_id": 2, "role": "user", "content": "a"},
            {"id": 2, "parent_id": 1, "role": "assistant", "content": "b"}]}})),
        "experiment": raised(lambda: Experiment.from_json(experiment)),
        "gguf counts": raised(lambda: read_model_info(gguf_header(tmp_path / "a.gguf", 3, 2**62, 1))),
        "gguf no tensors": raised(lambda: read_model_info(gguf_header(tmp_path / "b.gguf", 3, 0, 0))),
        "gguf version": raised(lambda: read_model_info(gguf_header(tmp_path / "c.gguf", 300, 1, 0))),
        "engine model": remote_label(remote_path("gpu-box", "org/Qwen3-32B")),
    }
    assert "第 1 行" in shown["evals input"] and "数字" in shown["evals input"], shown["evals input"]
    assert "张量" in shown["gguf counts"] and "文件头" in shown["gguf no tensors"], shown
    assert shown["engine model"] == "gpu-box 上的 Qwen3-32B"
    assert len(set(shown.values())) == len(shown)
    for what, text in shown.items():
        assert re.search(r"[\u4e00-\u9fff]", text), (what, text)
        assert not no_english(text.replace("gpu-box", " ").replace("promptfoo", " "), tmp_path), (what, text)
