"""Forms, rendered with the State design system (django-dsfr's DsfrBaseForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from sdsf.sources.editions import EXPECTED, EditionError, parse_edition
from sdsf.sources.registry import SOURCES


class UploadForm(DsfrBaseForm):
    source = forms.ChoiceField(
        label="Type de fichier",
        choices=[(name, f"{info.label} — {info.producer}") for name, info in SOURCES.items()],
    )
    fichier = forms.FileField(label="Fichier (CSV, CSV.GZ, ZIP, XLSX ou Parquet)")
    niveau = forms.ChoiceField(
        label="Niveau géographique",
        help_text="Seulement si le nom du fichier ne le dit pas (com, epci, dep, reg).",
        required=False,
        choices=[
            ("", "Déduit du fichier"),
            ("commune", "Commune"),
            ("epci", "EPCI"),
            ("departement", "Département"),
            ("region", "Région"),
            ("france", "France"),
        ],
    )
    annee = forms.IntegerField(
        label="Année",
        help_text="Seulement si le fichier ne la donne pas (populations légales, QPV).",
        required=False,
        min_value=1990,
        max_value=2100,
    )
    edition = forms.CharField(
        label="Édition",
        help_text="Seulement si le fichier ne la dit pas : une année (ex. 2024) ou une date "
        "JJ/MM/AAAA. Par défaut, la dernière année publiée par le fichier. L'édition la plus "
        "récente reste en vigueur, quel que soit l'ordre des imports.",
        required=False,
        max_length=10,
    )
    ignorer_codes_inconnus = forms.BooleanField(
        label="Écarter les codes absents de la géographie (au lieu de refuser le fichier)",
        required=False,
    )

    def clean_edition(self) -> str:
        text = self.cleaned_data.get("edition", "").strip()
        if not text:
            return ""
        try:
            parse_edition(text)  # checked here, normalised by the import
        except EditionError as exc:
            raise forms.ValidationError(
                f"Édition invalide « {exc.found} » : attendu {EXPECTED}."
            ) from None
        return str(text)


class CustomTerritoryForm(DsfrBaseForm):
    nom = forms.CharField(
        label="Nom du territoire",
        max_length=150,
        help_text="Par exemple « CTG Pays de Retz » ou « Bassin de vie de Clisson ».",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    communes = forms.MultipleChoiceField(
        label="Communes",
        help_text="Ctrl ou Maj + clic pour en choisir plusieurs.",
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["communes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, f"{name} ({code})") for code, name in communes]
