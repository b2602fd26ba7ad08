"""The command line's own words in French: Typer's help panels, its help option and the usage
errors a user makes (unknown option, missing argument, invalid value).

Typer writes these in English; users of sdsf read French. Usage errors are caught by
:func:`sdsf.cli.main.run` and told again here; the help panels' titles are Typer's module
constants, set once at start.
"""

from __future__ import annotations

import re
from typing import Any

from typer import rich_utils

HELP_OPTION = "Affiche cette aide et quitte."


def translate_help_panels() -> None:
    rich_utils.DEPRECATED_STRING = "(obsolète) "
    rich_utils.DEFAULT_STRING = "[par défaut : {}]"
    rich_utils.ENVVAR_STRING = "[variable d'environnement : {}]"
    rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
    rich_utils.OPTIONS_PANEL_TITLE = "Options"
    rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
    rich_utils.ERRORS_PANEL_TITLE = "Erreur"
    rich_utils.ABORTED_TEXT = "Interrompu."
    rich_utils.RICH_HELP = "Aide : [blue]'{command_path} {help_option}'[/]."


def translate_help_option(command: Any) -> None:
    """Give ``--help`` a French description on a command and its sub-commands."""
    for sub in getattr(command, "commands", {}).values():
        translate_help_option(sub)
    option = None
    try:
        import typer._click.decorators as decorators  # Typer's own fork of Click

        decorators.help_option(["--help"])(command)
        option = command.params.pop()
    except (ImportError, AttributeError, IndexError):  # another Typer: keep its words
        return
    option.help = HELP_OPTION
    command._help_option = option


_PATTERNS = (
    (re.compile(r"^Value error, (.*)$"), "{0}"),
    (re.compile(r"^Input should be a valid integer.*$"), "un nombre entier est attendu"),
    (re.compile(r"^Input should be a valid number.*$"), "un nombre est attendu"),
    (
        re.compile(r"^'(.*)' is not a valid integer( range)?\.?$"),
        "« {0} » n'est pas un nombre entier",
    ),
    (re.compile(r"^'(.*)' is not a valid float( range)?\.?$"), "« {0} » n'est pas un nombre"),
    (re.compile(r"^'(.*)' is not one of (.*)\.$"), "« {0} » n'est pas parmi : {1}"),
    (re.compile(r"^'(.*)' is not (.*)\.$"), "« {0} » n'est pas {1}"),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"),
        "argument(s) en trop : {0}",
    ),
    (re.compile(r"^No such command '(.*)'\.$"), "commande inconnue « {0} »"),
    (re.compile(r"^Missing command\.$"), "commande manquante"),
)


def _french(text: str) -> str:
    for pattern, template in _PATTERNS:
        match = pattern.match(text.strip())
        if match:
            text = template.format(*(g or "" for g in match.groups()))
            return _french(text) if template == "{0}" else text
    return text


def usage_error(exc: Any) -> str:
    """A French sentence for a Typer/Click usage error."""
    kind = type(exc).__name__
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint() if hasattr(param, "get_error_hint") else param.name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    if kind == "NoSuchOption":
        text = f"option inconnue « {exc.option_name} »"
        if getattr(exc, "possibilities", None):
            text += " (vouliez-vous dire " + " ou ".join(exc.possibilities) + " ?)"
    elif kind == "MissingParameter":
        kind_name = getattr(exc, "param_type", None) or getattr(param, "param_type_name", "")
        text = (
            f"argument obligatoire manquant : {hint}"
            if kind_name == "argument"
            else f"option obligatoire manquante : {hint}"
        )
    elif kind == "BadParameter":
        text = f"valeur invalide pour {hint} : {_french(str(exc.message))}"
    else:
        text = _french(str(getattr(exc, "message", exc)))
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "sdsf")
    return f"{text}. Aide : « {path} --help »"
