"""The one base class for errors a person can cause and act on."""

from __future__ import annotations


class ParleyError(Exception):
    """A problem with what the person asked for or gave Parley (a file, a setting, a template, a request), not a
    bug: str() is the whole message, fit to show as it is; nothing else needs adding. Subclasses may also derive
    from a built-in type (ValueError, OSError) that callers already catch."""
