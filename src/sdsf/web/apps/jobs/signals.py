"""Signals of the background work: the apps whose tasks were cut short update their own
records (a document request, an import) without this app knowing them."""

from django.dispatch import Signal

# Sent when a task was found interrupted (its worker stopped): ``task_path`` (the task's
# dotted path), ``args``, ``kwargs``, ``resumed`` (True: queued again; False: failed for good).
task_interrupted = Signal()
