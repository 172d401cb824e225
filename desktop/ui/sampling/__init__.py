"""The sampling settings and the view of how the next token is drawn."""
