"""Readers of published files and local registries: parse, validate, return tidy frames.

Each reader returns a :class:`sdsf.sources.base.ParsedFile` or raises
:class:`sdsf.sources.errors.SourceError` naming the file, row, column, what was expected and
what was found. Readers never write anything.
"""
