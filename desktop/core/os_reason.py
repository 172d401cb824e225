"""Why the system refused to read or write a file, in the person's language: the C library's own words
(exc.strerror) are English whatever the interface's language, so the common reasons are said here."""

from __future__ import annotations

import errno

from desktop.core.i18n import QT_TRANSLATE_NOOP, translate

_REASONS = {
    errno.ENOSPC: QT_TRANSLATE_NOOP("OSReason", "the disk is full"),
    errno.EDQUOT: QT_TRANSLATE_NOOP("OSReason", "the disk quota is used up"),
    errno.EACCES: QT_TRANSLATE_NOOP("OSReason", "permission denied"),
    errno.EPERM: QT_TRANSLATE_NOOP("OSReason", "the operation is not permitted"),
    errno.EROFS: QT_TRANSLATE_NOOP("OSReason", "the disk is read-only"),
    errno.ENOENT: QT_TRANSLATE_NOOP("OSReason", "no such file or folder"),
    errno.EEXIST: QT_TRANSLATE_NOOP("OSReason", "something with that name is already there"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("OSReason", "a file is where a folder should be"),
    errno.EISDIR: QT_TRANSLATE_NOOP("OSReason", "it is a folder, not a file"),
    errno.ENAMETOOLONG: QT_TRANSLATE_NOOP("OSReason", "the name is too long"),
    errno.EIO: QT_TRANSLATE_NOOP("OSReason", "the disk could not be read or written (an input/output error)"),
    errno.EBUSY: QT_TRANSLATE_NOOP("OSReason", "the file is in use"),
    errno.EMFILE: QT_TRANSLATE_NOOP("OSReason", "too many files are open"),
}


def os_reason(exc: OSError) -> str:
    """The reason in exc, for a sentence such as "Parley cannot save X ({reason})": translated for the common
    system errors, else the system's own words, else str(exc)."""
    reason = _REASONS.get(exc.errno) if exc.errno is not None else None
    if reason is not None:
        return translate("OSReason", reason)
    return exc.strerror or str(exc)
