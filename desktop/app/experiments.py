"""The experiment pages' builders: Few-shot, Perplexity and Compare. Each page follows the model session and the
job queue itself; a builder only places it and answers what the page cannot do alone."""

from __future__ import annotations

from pathlib import Path

from desktop.app.parts import Base
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.i18n import translate
from desktop.core.models.builtin import BuiltinMissingError, ensure_builtin
from desktop.ui.compare.panel import ComparePanel
from desktop.ui.fewshot.page import FewShotPage
from desktop.ui.models.library_page import LibraryPage
from desktop.ui.perplexity.page import PerplexityPage


def build_fewshot(base: Base) -> FewShotPage:
    dirs = base.dirs
    fewshot = FewShotPage(base.session, sample_templates_dir(), dirs.templates, dirs.runs)
    base.window.add_page(fewshot, translate("MainWindow", "Few-shot"))

    def load_base_model() -> None:  # "Use the base model": the built-in base model, set up on first use
        try:
            base.session.load(ensure_builtin(dirs.models))
        except (BuiltinMissingError, OSError) as exc:
            fewshot.show_message(str(exc))

    fewshot.baseModelRequested.connect(load_base_model)
    return fewshot


def build_perplexity(base: Base) -> PerplexityPage:
    perplexity = PerplexityPage(base.session)
    base.window.add_page(perplexity, translate("MainWindow", "Perplexity"))
    return perplexity


def build_compare(base: Base, library_page: LibraryPage) -> ComparePanel:
    def library_paths() -> list[Path]:  # the models a column may use: those the library could read
        return [e.path for e in library_page.model.entries() if e.error is None and e.info is not None]

    compare = ComparePanel(base.session, base.window.sampling.params, library_paths, base.dirs.experiments,
                           base.dirs.metadata_cache.with_name("model-hashes.json"))
    base.window.add_page(compare, translate("MainWindow", "Compare"))
    base.shutdown.add(compare.shutdown)  # a model hash in progress stops within a chunk
    return compare
