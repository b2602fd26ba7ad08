"""Form fields that check ranges and formats with a French message, within the bounds the
services check again (:mod:`sdsf.web.apps.schemes.checks`): dates as JJ/MM/AAAA or AAAA-MM-JJ
(the date widget of the browsers sends the latter), years, finite numbers, amounts of euros,
texts no longer than their column."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from dsfr.forms import DsfrBaseForm

from sdsf.web.apps.schemes import checks

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
REQUIRED = "Ce champ est obligatoire."


def sentence(message: str) -> str:
    """A service's message (« l'année… ») as a sentence (« L'année…. »)."""
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class CheckedForm(DsfrBaseForm):
    """A form of the State design system that refuses, in every text it receives, the
    control characters no document can hold (the services refuse them too)."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str) and checks.CONTROL.search(value):
                self.add_error(name, "Caractère de contrôle invisible : retirez-le.")
        return data


def date_bounds(value: Any) -> None:
    if value is not None and not checks.DATE_MIN <= value <= checks.DATE_MAX:
        raise ValidationError(
            f"Une date entre le {checks.DATE_MIN:%d/%m/%Y} et le {checks.DATE_MAX:%d/%m/%Y} "
            "est attendue."
        )


def number_bounds(value: Any) -> None:
    if value is not None and abs(value) > checks.NUMBER_MAX:
        raise ValidationError("Un nombre entre -10^15 et 10^15 est attendu.")


def date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={
            "invalid": "Date invalide : attendue au format JJ/MM/AAAA ou AAAA-MM-JJ.",
            "required": REQUIRED,
        },
        validators=[date_bounds],
    )


def year(label: str, required: bool = True, **kwargs: Any) -> forms.IntegerField:
    bounds = f"Une année entre {checks.YEAR_MIN} et {checks.YEAR_MAX} est attendue."
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=checks.YEAR_MIN,
        max_value=checks.YEAR_MAX,
        error_messages={
            "invalid": "Une année est attendue (quatre chiffres, par exemple 2026).",
            "min_value": bounds,
            "max_value": bounds,
            "required": REQUIRED,
        },
        **kwargs,
    )


class NumberField(forms.FloatField):
    """A finite number within ±10^15; a decimal comma and spaces between thousands are
    accepted (« 1 234,5 »)."""

    default_error_messages = {
        "invalid": "Un nombre est attendu (par exemple 12,5).",
        "required": REQUIRED,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(number_bounds)

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            for space in (" ", "\u202f", "\xa0"):
                value = value.replace(space, "")
            value = value.replace(",", ".")
        return super().to_python(value)  # type: ignore[no-any-return]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs: dict[str, Any] = super().widget_attrs(widget)
        attrs.setdefault("step", "any")
        return attrs


def number(label: str, required: bool = True) -> NumberField:
    return NumberField(label=label, required=required)


class AmountField(forms.CharField):
    """An amount of euros (« 1 000,50 »), not negative, to the cent, within the column."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return text
        try:
            return checks.amount(text)
        except checks.SchemeError as exc:
            raise ValidationError(sentence(str(exc))) from exc


def text(label: str, max_length: int, required: bool = True, **kwargs: Any) -> forms.CharField:
    """A line of text, no longer than its column."""
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def long_text(
    label: str, rows: int = 3, required: bool = True, max_length: int = checks.TEXT_MAX
) -> forms.CharField:
    """A text typed on several lines (a TextField, bounded all the same)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ModelsField(forms.ModelMultipleChoiceField):
    """Several objects chosen by their ids: an id that is not a whole number within the range
    of the column is refused like an unknown one (the database is not asked about it: a
    number too large for it would be a server error)."""

    def _check_values(self, value: Any) -> Any:
        pk = self.queryset.model._meta.pk
        high = connection.ops.integer_field_range(pk.get_internal_type())[1]
        for item in value if isinstance(value, list | tuple) else [value]:
            text = str(item).strip()
            whole = text.isascii() and text.isdigit()
            if not whole or (high is not None and int(text) > high):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)
