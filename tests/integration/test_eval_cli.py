"""`parley eval` in-process: a real run with the built-in model, its JSON record, and mistakes as one-line messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.cli.eval import main
from desktop.core.fewshot.template import Example, FewShotTemplate, RenderMode, save_template
from desktop.core.files import file_sha256

SHOTS = [
    ("An absolute delight from start to finish.", "positive"),
    ("The plot made no sense and the acting was wooden.", "negative"),
    ("I laughed, I cried, I would watch it again tomorrow.", "positive"),
    ("Two hours of my life I will never get back.", "negative"),
    ("Beautifully shot, with a score that lingers.", "positive"),
    ("Dull, predictable and far too long.", "negative"),
]
DATA = """review,gold
"A warm, funny and moving film.",positive
Boring. I fell asleep twice.,negative
I loved every minute of it.,positive
"Loud, messy and completely forgettable.",negative
"""
RESULT_LINE = re.compile(r"^(PASS|FAIL) line ([2-5]): expected '(positive|negative)' got '.*'$")


@pytest.fixture
def template_file(tmp_path: Path) -> Path:
    template = FewShotTemplate(
        name="Sentiment", instruction="Classify the sentiment of each movie review as positive or negative.",
        examples=[Example(text, label) for text, label in SHOTS], input_label="Review:", output_label="Sentiment:",
    )
    path = tmp_path / "sentiment.json"
    save_template(template, path)
    return path


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(DATA, encoding="utf-8")
    return path


@pytest.mark.integration
def test_run_prints_each_item_and_the_accuracy_and_records_the_run(
    tmp_path: Path, builtin_model: Path, template_file: Path, data_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "run.json"
    code = main([str(template_file), str(data_file), "--model", str(builtin_model), "--expected", "gold",
                 "--shots", "4", "--seed", "7", "--out", str(out), "--data-dir", str(tmp_path / "data")])
    printed = capsys.readouterr().out.splitlines()
    assert code == 0, printed
    assert printed[0].startswith("Sentiment v") and "4 shots · seed 7 · 4 items · rule normalized" in printed[0]
    items = [RESULT_LINE.match(line) for line in printed[1:5]]
    assert all(items), printed
    assert [m.group(2) for m in items if m] == ["2", "3", "4", "5"]
    passed = sum(m.group(1) == "PASS" for m in items if m)
    assert printed[-1].startswith(f"accuracy: {passed / 4:.3f} ({passed}/4), 95% CI ")

    run = json.loads(out.read_text(encoding="utf-8"))
    assert run["template_name"] == "Sentiment" and run["template_version"] >= 1
    assert run["model_path"] == str(builtin_model.resolve())
    assert run["model_sha256"] == file_sha256(builtin_model)
    assert run["seed"] == 7 and run["shots"] == 4 and run["rule"] == "normalized"
    assert run["sampling"]["temperature"] == 0.0 and run["sampling"]["max_tokens"] == 16
    assert run["sampling"]["seed"] == 7
    assert run["data_path"] == str(data_file.resolve())
    assert run["completed"] is True and run["started_at"]
    assert [r["line"] for r in run["results"]] == [2, 3, 4, 5]
    assert sum(r["passed"] for r in run["results"]) == passed


@pytest.mark.integration
def test_a_random_seed_is_drawn_and_recorded(
    tmp_path: Path, builtin_model: Path, template_file: Path, data_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "run.json"
    code = main([str(template_file), str(data_file), "--model", str(builtin_model), "--expected", "gold",
                 "--shots", "2", "--max-tokens", "3", "--temperature", "0.5", "--out", str(out)])
    assert code == 0
    run = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(run["seed"], int) and run["sampling"]["seed"] == run["seed"]
    assert f"seed {run['seed']}" in capsys.readouterr().out
    assert run["sampling"]["temperature"] == 0.5 and run["sampling"]["max_tokens"] == 3
    assert all(r["generated_tokens"] <= 3 for r in run["results"])


@pytest.mark.integration
def test_chat_mode_uses_the_models_chat_template(
    tmp_path: Path, builtin_model: Path, data_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    template = tmp_path / "chat.json"
    save_template(FewShotTemplate(name="Chat", mode=RenderMode.CHAT, instruction="Answer positive or negative.",
                                  examples=[Example(text, label) for text, label in SHOTS]), template)
    code = main([str(template), str(data_file), "--model", str(builtin_model), "--expected", "gold", "--seed", "1"])
    printed = capsys.readouterr().out.splitlines()
    assert code == 0, printed
    assert sum(bool(RESULT_LINE.match(line)) for line in printed) == 4 and printed[-1].startswith("accuracy: ")


def _bad_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "items.jsonl"
    path.write_text('{"review": "Great.", "gold": "positive"}\n{"review": "Awful", \n', encoding="utf-8")
    return path


def _template_with_genre(tmp_path: Path) -> Path:
    path = tmp_path / "genre.json"
    save_template(FewShotTemplate(name="Genre", query_template="{input} ({genre})",
                                  examples=[Example("Fine.", "positive", variables={"genre": "drama"})]), path)
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing template", r"template file .*nowhere\.json does not exist"),
        ("missing data", r"data file .*nowhere\.csv does not exist"),
        ("bad JSON line", r"items\.jsonl.*line 2"),
        ("variable without column", r"genre"),
        ("no expected column", r"--expected"),
        ("too many shots", r"--shots must be between 0 and 6"),
        ("not a model", r"not a GGUF"),
        ("missing model", r"model file .*absent\.gguf does not exist"),
        ("out folder missing", r"folder for --out, .*nodir, does not exist"),
    ],
)
def test_mistakes_are_one_line_messages_and_exit_1(
    case: str, message: str, tmp_path: Path, template_file: Path, data_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template, data, extra = str(template_file), str(data_file), ["--expected", "gold"]
    if case == "missing template":
        template = str(tmp_path / "nowhere.json")
    elif case == "missing data":
        data = str(tmp_path / "nowhere.csv")
    elif case == "bad JSON line":
        data = str(_bad_jsonl(tmp_path))
    elif case == "variable without column":
        template = str(_template_with_genre(tmp_path))
    elif case == "no expected column":  # one column: nothing to guess the answers from
        extra = []
        data = str(tmp_path / "inputs.csv")
        Path(data).write_text("review\nGreat.\nAwful.\n", encoding="utf-8")
    elif case == "too many shots":
        extra += ["--shots", "7"]
    elif case == "not a model":
        (tmp_path / "notes.gguf").write_text("hello", encoding="utf-8")
        extra += ["--model", str(tmp_path / "notes.gguf")]
    elif case == "missing model":
        extra += ["--model", str(tmp_path / "absent.gguf")]
    elif case == "out folder missing":
        extra += ["--out", str(tmp_path / "nodir" / "run.json")]
    code = main([template, data, *extra, "--data-dir", str(tmp_path / "data")])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("error: ") and "Traceback" not in captured.err
    assert re.search(message, captured.err), captured.err
    assert "accuracy" not in captured.out
