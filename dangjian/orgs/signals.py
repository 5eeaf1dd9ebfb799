"""Signals other apps listen to, so the tree never imports them (decoupled extension)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction after a subtree's paths change: old_path, new_path.
subtree_moved = Signal()
