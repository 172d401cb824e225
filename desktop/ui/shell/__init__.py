"""The main window and what surrounds every page: about, first run, errors, shortcuts, theme."""
