from __future__ import annotations

from django import forms

from sdsf.sources.registry import SOURCES


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label="Type de fichier",
        choices=[(name, f"{info.label} — {info.producer}") for name, info in SOURCES.items()],
    )
    fichier = forms.FileField(label="Fichier (CSV, CSV.GZ ou XLSX)")
    niveau = forms.ChoiceField(
        label="Niveau géographique (si le nom du fichier ne le dit pas)",
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
        label="Année (si le fichier ne la donne pas)",
        required=False,
        min_value=1990,
        max_value=2100,
    )
    ignorer_codes_inconnus = forms.BooleanField(
        label="Écarter les codes absents de la géographie (au lieu de refuser le fichier)",
        required=False,
    )
