"""Parley from a terminal: `parley models|chats|eval|runs|score …`, without Qt (an import-linter contract keeps
this package off PySide6, desktop.ui and desktop.app). desktop.cli.main dispatches; common holds what the
commands share. Importing this package imports nothing else."""
