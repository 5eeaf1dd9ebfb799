"""Marking the engine's user-facing strings for translation, without importing Django.

``gettext_noop`` returns its argument unchanged: the engine keeps working in English, and
``makemessages`` extracts every string passed to it (``gettext_noop`` is one of the keywords
Django's ``makemessages`` gives ``xgettext``, so the stock command finds them; a custom name
such as ``N_`` would need a keyword ``makemessages`` has no option for). The Django layer
translates the string when it shows it, e.g. ``services.describe`` does
``gettext(violation.message).format(**values)``, so a translation must keep every
``{placeholder}`` of its English text.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation; return it unchanged (translated later, when shown)."""
    return message
