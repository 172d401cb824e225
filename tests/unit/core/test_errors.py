"""Errors a person can cause share one base class, and each keeps its message and its old base."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from desktop.core.conversations.store import ReadOnlyError, StoreError
from desktop.core.errors import ParleyError
from desktop.core.fewshot.rows import DataError
from desktop.core.fewshot.scoring import RunRecordError
from desktop.core.fewshot.template import FewShotError
from desktop.core.instruments.experiment import ExperimentError
from desktop.core.models.builtin import BuiltinMissingError
from desktop.core.models.gguf_file import GGUFError
from desktop.core.paths import DataFolderError
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.prompting.sampling import SamplingError
from desktop.hub.errors import AuthRequired, HubError, OfflineError
from desktop.inference.backend import InferenceError
from desktop.inference.context_fit import PromptTooLongError, StoppedError


@pytest.mark.parametrize("kind, old_base", [
    (TemplateError, Exception), (DataError, ValueError), (ExperimentError, ValueError), (FewShotError, ValueError),
    (SamplingError, ValueError), (RunRecordError, ValueError), (StoreError, Exception), (ReadOnlyError, StoreError),
    (HubError, Exception), (AuthRequired, HubError), (OfflineError, HubError), (InferenceError, Exception),
    (DataFolderError, OSError),
])
def test_str_is_the_message(kind: type[Exception], old_base: type[Exception]) -> None:
    error = kind("Something the person can fix.")
    assert isinstance(error, ParleyError) and isinstance(error, old_base)
    assert str(error) == "Something the person can fix."


def test_errors_with_their_own_constructors_keep_their_messages() -> None:
    gguf = GGUFError(Path("/m/x.gguf"), "it is truncated", "Download it again.")
    assert isinstance(gguf, ParleyError)
    assert str(gguf) == 'Parley cannot use the model file "/m/x.gguf": it is truncated. Download it again.'
    assert str(pickle.loads(pickle.dumps(gguf))) == str(gguf)
    missing = BuiltinMissingError("/m/gemma.gguf")
    assert isinstance(missing, ParleyError) and isinstance(missing, FileNotFoundError)
    assert str(missing).startswith("This copy of Parley does not include the built-in model")
    assert isinstance(StoppedError(), ParleyError) and str(StoppedError()).startswith("Stopped")
    assert isinstance(PromptTooLongError(5000, 2048, 3), InferenceError)
