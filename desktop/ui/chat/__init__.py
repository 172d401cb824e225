"""The chat page: the controller, the message view, the sidebar of saved conversations, persistence."""
