"""The chat's builder: the conversation controller, the saved chats in the sidebar, import and export."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from desktop.app.parts import Base, ChatParts
from desktop.core.conversations.store import ChatStore
from desktop.ui.chat.controller import ChatController
from desktop.ui.chat.conversation_list import ConversationList
from desktop.ui.chat.defaults import ChatDefaults
from desktop.ui.chat.files import ChatFiles
from desktop.ui.chat.persistence import ChatPersistence
from desktop.ui.shell.shortcuts import install_chat_shortcuts


def build_chat(base: Base, store: ChatStore) -> ChatParts:
    window, settings = base.window, base.settings
    persistence = ChatPersistence(store, window.notice.show_message)
    controller = ChatController(window, base.session, settings, persistence)
    conversations = ConversationList(store)
    window.set_conversation_list(conversations)
    # A new chat starts from the person's own system prompt and sampling, never from the last chat opened.
    defaults = ChatDefaults(settings, window.system_prompt, window.sampling,
                            lambda: controller.model.info.path if controller.model is not None else None, window)

    def follow_conversation(*_args: object) -> None:
        conversations.refresh(select=persistence.conversation_id)

    def open_chat(conversation_id: int) -> None:  # an imported chat, or the open chat back from Undo
        controller.navigation.open_conversation(conversation_id)
        follow_conversation()

    def chat_started_afresh() -> None:  # New chat (button, Ctrl+N, sidebar) or the open chat deleted
        if controller.generating:  # the chat clears once the reply has stopped
            controller.generationEnded.connect(lambda: QTimer.singleShot(0, chat_started_afresh),
                                               Qt.ConnectionType.SingleShotConnection)
            return
        defaults.apply()
        conversations.start_new()

    reopen: list[int | None] = [None]  # the chat that was open when deleted: Undo puts it back on screen

    def deleted(conversation_id: int) -> None:
        if conversation_id == persistence.conversation_id:
            controller.new_chat()
            chat_started_afresh()
            reopen[0] = conversation_id

    def restored(conversation_id: int) -> None:
        if reopen[0] == conversation_id and persistence.conversation_id is None \
                and not controller.conversation.messages:
            open_chat(conversation_id)
        reopen[0] = None

    chat_files = ChatFiles(persistence, open_chat, window.notice.show_message, window)
    window.export_markdown_action.triggered.connect(lambda: chat_files.ask_export("md"))
    window.export_json_action.triggered.connect(lambda: chat_files.ask_export("json"))
    window.import_chat_action.triggered.connect(chat_files.ask_import)
    conversations.conversationActivated.connect(controller.navigation.open_conversation)
    conversations.conversationActivated.connect(follow_conversation)
    conversations.newRequested.connect(controller.new_chat)
    conversations.newRequested.connect(chat_started_afresh)
    window.new_chat_button.clicked.connect(chat_started_afresh)  # after the controller's own handler
    conversations.conversationDeleted.connect(deleted)
    conversations.conversationRestored.connect(restored)
    controller.generationStarted.connect(follow_conversation)  # a first message creates the conversation
    controller.generationEnded.connect(follow_conversation)
    install_chat_shortcuts(window, controller, conversations)
    saved = persistence.latest()
    if saved is not None:
        controller.navigation.show_conversation(saved[0].system_prompt, saved[1])
    follow_conversation()
    base.shutdown.add(persistence.close)  # after the worker's last queued text is handled
    return ChatParts(persistence, controller, conversations, chat_files, saved_chat=saved is not None)
