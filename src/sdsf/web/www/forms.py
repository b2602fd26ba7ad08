from __future__ import annotations

from django import forms

from sdsf.sources.registry import SOURCES


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label="Type de fichier",
        choices=[(name, f"{info.label} — {info.producer}") for name, info in SOURCES.items()],
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    fichier = forms.FileField(
        label="Fichier (CSV, CSV.GZ ou XLSX)",
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload"}),
    )
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


class CustomTerritoryForm(forms.Form):
    nom = forms.CharField(
        label="Nom du territoire",
        max_length=150,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
        help_text="Par exemple « CTG Pays de Retz » ou « Bassin de vie de Clisson ».",
    )
    description = forms.CharField(
        label="Description (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
    )
    communes = forms.MultipleChoiceField(
        label="Communes",
        help_text="Ctrl ou Maj + clic pour en choisir plusieurs.",
        widget=forms.SelectMultiple(attrs={"size": 14, "class": "fr-select"}),
    )

    def __init__(self, *args: object, communes: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["communes"].choices = [(code, f"{name} ({code})") for code, name in communes]
