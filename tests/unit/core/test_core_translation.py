"""Core's messages go through the translation hook (desktop.core.i18n), and without a translator (the CLI, scripts)
they are the English text exactly as before. Messages made before the window installs its translator (the settings'
notice, the data folder's error) are put into words when read, so they come in the language installed by then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.conversations.store import ChatStore
from desktop.core.fewshot.dataset import read_table
from desktop.core.fewshot.rows import DataError
from desktop.core.fewshot.template import check_labels
from desktop.core.i18n import set_translator
from desktop.core.models.builtin import BUILTIN_NOTE, CHAT_NOTE, BuiltinMissingError, builtin_note, chat_note
from desktop.core.models.gguf_file import GGUFError, read_model_info
from desktop.core.models.memory import Fit
from desktop.core.paths import DataDirs, DataFolderError
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.core.prompting.sampling import SamplingError, SamplingParams
from desktop.core.settings import Settings


def fake(context: str, text: str, n: int) -> str:
    """A 'language' that marks every text with its context, keeping {placeholders} and %n working."""
    text = text.replace("%n", str(n)) if n >= 0 else text
    return f"<{context}>{text}"


@pytest.fixture
def translated() -> Iterator[None]:
    set_translator(fake)
    try:
        yield
    finally:
        set_translator(None)


def test_memory_fit_labels_are_translated_and_values_stay_english(translated: None) -> None:
    assert Fit.RAM.label == "<Fit>fits in RAM"
    assert Fit.GPU.label == "<Fit>fits on GPU" and Fit.TOO_LARGE.label == "<Fit>too large"
    assert Fit.RAM.value == "fits in RAM"  # printed by the CLI, compared by tests


def test_fit_labels_in_english_without_a_translator() -> None:
    assert [f.label for f in Fit] == [f.value for f in Fit] == ["fits on GPU", "fits in RAM", "too large"]


def test_builtin_notes_are_translated_when_asked_for(translated: None) -> None:
    assert builtin_note().startswith("<BuiltinModel>Gemma 3 270M is a small base model")
    assert chat_note().startswith("<BuiltinModel>SmolLM2 135M Instruct is a small instruction-tuned model")
    assert str(BuiltinMissingError("x")).startswith("<BuiltinMissingError>This copy of Parley does not include")
    assert "“gemma-3-270m gguf”" in str(BuiltinMissingError("x"))


def test_builtin_notes_in_english_are_as_before() -> None:
    assert builtin_note() == BUILTIN_NOTE == (
        "Gemma 3 270M is a small base model: it continues text rather than following instructions. "
        "Few-shot prompts (a few worked examples before your question) suit it best.")
    assert chat_note() == CHAT_NOTE == (
        "SmolLM2 135M Instruct is a small instruction-tuned model: it answers questions and follows requests. "
        "It is tiny, so expect simple answers; facts are often wrong.")
    assert str(BuiltinMissingError("x")) == (
        "This copy of Parley does not include the built-in model, and there is no model in your library yet. "
        "Download one on the Hugging Face page (the built-in one is Gemma 3 270M: search “gemma-3-270m gguf”), "
        "or add a .gguf file on the Models page.")


def test_settings_notice_is_worded_in_the_language_installed_when_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings.load(path)  # as at start: before the window installs its translator
    copy = next(tmp_path.glob("settings.json.damaged-*"))
    english = (f"Parley's settings file {path} could not be used (it is not valid JSON; perhaps it was cut short), "
               f"so Parley starts with its default settings. The original file was kept as {copy}.")
    assert settings.notice == english
    set_translator(fake)
    try:
        assert settings.notice == (
            f"<Settings><Settings>Parley's settings file {path} could not be used (<Settings>it is not valid JSON; "
            f"perhaps it was cut short), so Parley starts with its default settings. The original file was kept as "
            f"{copy}.")
    finally:
        set_translator(None)
    assert settings.notice == english


def test_newer_settings_notice_in_english_is_as_before(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"schema_version": 99}', encoding="utf-8")
    notice = Settings.load(path).notice
    assert notice is not None and notice.startswith(
        f"Parley's settings file {path} was written by a newer version of Parley (settings version 99; this "
        "version knows ")
    assert notice.endswith("This session uses the default settings and leaves that file unchanged; update "
                           "Parley to use them.")


def test_data_folder_error_is_worded_when_shown(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file in the way", encoding="utf-8")
    dirs = DataDirs.under(tmp_path / "data")
    with pytest.raises(DataFolderError) as caught:
        dirs.create()
    english = f"Parley cannot use {dirs.models} as a data folder: {tmp_path / 'data'} is a file, not a folder."
    assert str(caught.value) == english
    set_translator(fake)
    try:
        assert str(caught.value) == "<DataFolderError>" + english
    finally:
        set_translator(None)


def test_chat_database_notice_is_translated(translated: None, tmp_path: Path) -> None:
    path = tmp_path / "parley.sqlite3"
    path.mkdir()
    store, notice = ChatStore.open(path)
    store.close()
    assert notice is not None
    assert notice.startswith(f"<ChatDatabase>Parley's chat database {path} is a folder, not a file. "
                             "<ChatDatabase>Chats in this session are kept in memory only")


def test_chat_database_notice_in_english_is_as_before(tmp_path: Path) -> None:
    path = tmp_path / "parley.sqlite3"
    path.mkdir()
    store, notice = ChatStore.open(path)
    store.close()
    assert notice == (f"Parley's chat database {path} is a folder, not a file. Chats in this session are kept in "
                      "memory only: they are not saved. Move that folder away (Parley then starts a new database), "
                      "then restart Parley (or start it with --data-dir on another folder).")


def test_few_shot_data_errors_are_translated(translated: None, tmp_path: Path) -> None:
    empty = tmp_path / "tests.csv"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(DataError, match="^<DataError>tests.csv is empty"):
        read_table(empty)
    with pytest.raises(ValueError, match="^<FewShotError>Labels: label 2 is empty"):
        check_labels(["yes", " "], "Labels")


def test_few_shot_data_errors_in_english_are_as_before(tmp_path: Path) -> None:
    bad = tmp_path / "tests.csv"
    bad.write_text("input,label\na,b,c\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(bad)
    assert str(caught.value) == ("tests.csv, line 2: 3 values but the header has 2 columns. Check for a missing or "
                                 "extra comma, or put text containing one in double quotes.")
    wrong = tmp_path / "tests.xlsx"
    wrong.write_text("x", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(wrong)
    assert str(caught.value) == "tests.xlsx: unsupported file type (“.xlsx”). Use a .csv, .tsv or .jsonl file."


def test_template_and_sampling_errors_are_translated(translated: None) -> None:
    with pytest.raises(TemplateError) as caught:
        ChatTemplate("{% if %}", "Broken").render([{"role": "user", "content": "hi"}])
    assert str(caught.value).startswith("<TemplateError>The chat template “Broken” has a syntax error on line 1")
    assert str(caught.value).endswith("<TemplateError>Choose one of the built-in chat templates for this model "
                                      "instead.")
    with pytest.raises(SamplingError, match="^<SamplingError>temperature must be between"):
        SamplingParams(temperature=-1.0)


def test_template_and_sampling_errors_in_english_are_as_before() -> None:
    with pytest.raises(TemplateError) as caught:
        ChatTemplate("{{ raise_exception('No system role') }}", "Strict").render([{"role": "user", "content": "x"}])
    assert str(caught.value) == ("The chat template “Strict” rejected this conversation: No system role. Choose one "
                                 "of the built-in chat templates for this model instead.")
    with pytest.raises(SamplingError) as raised:
        SamplingParams(top_k=1.5)  # type: ignore[arg-type]
    assert str(raised.value) == "top_k must be a whole number; got 1.5"


def test_model_file_errors(tmp_path: Path) -> None:
    page = tmp_path / "model.gguf"
    page.write_text("<html>Not found</html>", encoding="utf-8")
    with pytest.raises(GGUFError) as caught:
        read_model_info(page)
    assert str(caught.value) == (
        f'Parley cannot use the model file "{page}": it is not a GGUF model file (it looks like a web page, perhaps '
        "an error page saved instead of the model). Parley can only load GGUF (.gguf) models; choose a GGUF version "
        "of this model.")
    set_translator(fake)
    try:
        with pytest.raises(GGUFError) as caught:
            read_model_info(page)
    finally:
        set_translator(None)
    assert str(caught.value).startswith(f'<GGUFError>Parley cannot use the model file "{page}": <GGUFError>it is '
                                        "not a GGUF model file <GGUFError>(it looks like a web page")


def test_system_errors_are_said_in_words_and_through_the_hook(translated: None) -> None:
    import errno

    from desktop.core.os_reason import os_reason

    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "<OSReason>the disk is full"
    assert os_reason(OSError(errno.EACCES, "Permission denied", "/x")) == "<OSReason>permission denied"
    assert os_reason(OSError(errno.ECONNRESET, "Connection reset by peer")) == "Connection reset by peer"
    assert os_reason(OSError("no errno at all")) == "no errno at all"


def test_numbers_follow_the_hook_and_default_to_english_grouping() -> None:
    from desktop.core.i18n import number, set_number_format

    assert (number(4096), number(1234567.891, 1), number(0.5, 2)) == ("4,096", "1,234,567.9", "0.50")
    set_number_format(lambda value, decimals: f"{value:_.{decimals}f}")
    try:
        assert number(4096) == "4_096"
    finally:
        set_number_format(None)
    assert number(4096) == "4,096"
