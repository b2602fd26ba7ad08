"""sdsf : schémas départementaux des services aux familles."""

__version__ = "0.1.0"
