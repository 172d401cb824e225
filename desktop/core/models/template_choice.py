"""Which chat template a model gets: the person's choice, else the model's own, else a built-in by architecture."""

from __future__ import annotations

from desktop.core.i18n import translate
from desktop.core.models.gguf_file import ModelInfo
from desktop.core.prompting.chat_template import (
    BUILTIN_TEMPLATES,
    ChatTemplate,
    builtin_for_architecture,
    stop_strings_for,
)

AUTOMATIC = "auto"


def template_choices(info: ModelInfo) -> list[tuple[str, str]]:
    """(key, label) pairs for the template picker, the automatic choice first."""
    if info.chat_template:
        automatic = translate("TemplateChoice", "Model's own template")
    else:
        automatic = translate("TemplateChoice", "Automatic: {template}").format(
            template=builtin_for_architecture(info.architecture, info.tokenizer_pre).label)
    return [(AUTOMATIC, automatic)] + [
        (b.key, translate("TemplateChoice", "{template} (built-in)").format(template=b.label))
        for b in BUILTIN_TEMPLATES.values()]


def template_for(info: ModelInfo, choice: str = AUTOMATIC) -> ChatTemplate:
    if choice in BUILTIN_TEMPLATES:
        return BUILTIN_TEMPLATES[choice].to_chat_template(info.bos_token, info.eos_token)
    if info.chat_template:
        return ChatTemplate(
            source=info.chat_template,
            label=translate("TemplateChoice", "the model's own template"),
            bos_token=info.bos_token or "",
            eos_token=info.eos_token or "",
            stop=stop_strings_for(info.chat_template),
        )
    builtin = builtin_for_architecture(info.architecture, info.tokenizer_pre)
    template = builtin.to_chat_template(info.bos_token, info.eos_token)
    return ChatTemplate(
        source=template.source,
        label=translate("TemplateChoice", "{template} (built-in; the model has no template of its own)").format(
            template=builtin.label),
        bos_token=template.bos_token,
        eos_token=template.eos_token,
        stop=template.stop,
    )
