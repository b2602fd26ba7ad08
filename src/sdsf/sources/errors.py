"""The error a reader raises on bad input, written for the analyst who made the file."""

from __future__ import annotations


class SourceError(ValueError):
    """Bad input: which file, which row and column, what was expected, what was found.

    ``row`` is the line number as a spreadsheet shows it (the header is line 1).
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        self.reason = message
        super().__init__(self.french())

    def french(self) -> str:
        """The whole message in French, as the CLI and the web app print it."""
        where = [f"Fichier « {self.file} »"]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        text = ", ".join(where) + f" : {self.reason}"
        details = []
        if self.expected is not None:
            details.append(f"attendu : {self.expected}")
        if self.found is not None:
            details.append(f"trouvé : « {self.found} »")
        if details:
            text += " (" + " ; ".join(details) + ")"
        return text + ". Rien n'a été importé."
