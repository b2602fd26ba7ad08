"""Signals of the stored data: other apps react to a new import without this app knowing them."""

from django.dispatch import Signal

# Sent inside the import's transaction, after its values are stored (``file``: ImportedFile).
data_imported = Signal()
