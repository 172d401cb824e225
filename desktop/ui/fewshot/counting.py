"""Token counts for the Few-shot page, asked of the session's queue: the preview's prompt (a newer count replaces
one not yet answered) and each example's cost for the examples table."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from desktop.inference.jobs import CountRequest, Job
from desktop.inference.session import ModelSession


class TokenCounter(QObject):
    promptCounted = Signal(object)  # int: the tokens of the prompt last asked about
    exampleCounted = Signal(str, object)  # an example's text, its tokens (int)

    def __init__(self, session: ModelSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._count_job: Job | None = None  # the preview's token count

    def count_prompt(self, text: str) -> None:
        """Count the prompt now shown; a count asked before is cancelled (skipped when it has not run) and no
        longer shown, since the person typed on."""
        if self._count_job is not None:
            self._count_job.cancel()
            self._count_job.result.disconnect(self._on_counted)
        self._count_job = self.session.submit(CountRequest(text))
        self._count_job.result.connect(self._on_counted)

    def _on_counted(self, count: int) -> None:
        self._count_job = None
        self.promptCounted.emit(count)

    def count_example(self, text: str) -> None:
        """An example's token cost, asked by the examples table."""
        self.session.submit(CountRequest(text)).result.connect(self._example_counted)

    @Slot(object)
    def _example_counted(self, count: int) -> None:
        """A bound slot, not a lambda, so Qt drops it with the page; the job that answers names the text."""
        job = self.sender()
        if isinstance(job, Job) and isinstance(job.request, CountRequest):
            self.exampleCounted.emit(job.request.text, count)
