"""What an engine can do, as the lines Settings › Engines lists for each engine (✓ or ✗ each), worded once for
the in-process llama.cpp and for every server Parley probes."""

from __future__ import annotations

from desktop.core.i18n import translate


def capability_lines(*, chat: bool, completions: bool, token_probabilities: bool, post_sampling_probs: bool,
                     scores_text: bool, tokenizes_and_templates: bool, grammar: bool,
                     reproducible: bool) -> list[tuple[str, bool]]:
    return [
        (translate("EngineProbe", "Chat"), chat),
        (translate("EngineProbe", "Completions (Parley renders the prompt)"), completions),
        (translate("EngineProbe", "Token probabilities with top alternatives"), token_probabilities),
        (translate("EngineProbe", "Probabilities after the sampler chain"), post_sampling_probs),
        (translate("EngineProbe", "Prompt log-probabilities (perplexity, likelihood scoring)"), scores_text),
        (translate("EngineProbe", "Tokenize and apply the model's template"), tokenizes_and_templates),
        (translate("EngineProbe", "Grammar / JSON schema"), grammar),
        (translate("EngineProbe", "Identical output for identical input"), reproducible),
    ]
