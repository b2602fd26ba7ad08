"""Forms of the schéma workspace (State design system)."""

from __future__ import annotations

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from sdsf.parameters.governance import calendars
from sdsf.web.apps.accounts.models import ROLES, Organisation
from sdsf.web.apps.actionplan.models import Action
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.services import FORMAT_LABELS
from sdsf.web.apps.schemes.models import Attendance, Comment, Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


def _text(label: str, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class SchemeForm(DsfrBaseForm):
    title = forms.CharField(label="Intitulé", max_length=200)
    start = _date("Début du schéma")
    template = forms.ChoiceField(label="Modèle de calendrier")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [  # type: ignore[attr-defined]
            (k, t.title) for k, t in calendars().items()
        ]


class PeriodForm(DsfrBaseForm):
    start = _date("Début du schéma")
    end = _date("Fin du schéma (six ans au plus)")


class TextsForm(DsfrBaseForm):
    editorial = _text("Éditorial (signé par les présidents des instances)", 8, required=False)
    issues = _text(
        "Enjeux (une ligne commençant par « - » fait une puce ; une ligne vide, un paragraphe)",
        10,
        required=False,
    )


class DocumentForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Document")
    formats = forms.MultipleChoiceField(
        label="Formats", widget=forms.CheckboxSelectMultiple, initial=["docx", "pdf"]
    )
    year = forms.IntegerField(label="Année du bilan annuel", required=False)
    territory = forms.CharField(
        label="Fiche territoire : code de la commune, de l'EPCI ou du territoire",
        required=False,
        max_length=60,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(DocumentJob.KINDS.items())  # type: ignore[attr-defined]
        self.fields["formats"].choices = list(FORMAT_LABELS.items())  # type: ignore[attr-defined]


class PhaseForm(DsfrBaseForm):
    planned_start = _date("Début prévu")
    planned_end = _date("Fin prévue")
    actual_start = _date("Début réel", required=False)
    actual_end = _date("Fin réelle", required=False)


class MeetingForm(DsfrBaseForm):
    date = _date("Date")
    title = forms.CharField(label="Intitulé", max_length=200, initial="Comité de pilotage")
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    agenda = _text("Ordre du jour", required=False)


class MinutesForm(DsfrBaseForm):
    agenda = _text("Ordre du jour", required=False)
    minutes = _text("Compte rendu", rows=8, required=False)


def _organisations(departement: str) -> Any:
    return Organisation.objects.filter(departement=departement).order_by("name")


class AttendanceForm(DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=200)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    status = forms.ChoiceField(label="Présence", choices=list(Attendance.STATUSES.items()))

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class DecisionForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Objet", choices=list(Decision.KINDS.items()))
    text = _text("Décision")
    priority_version = forms.ModelChoiceField(
        label="Version de la carte des territoires prioritaires décidée",
        queryset=None,
        required=False,
        help_text="Obligatoire pour une décision sur la carte : la version est alors validée.",
    )
    snapshot = forms.BooleanField(
        label="Enregistrer une version du plan d'action tel qu'il est validé",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        from sdsf.web.apps.priorities.models import PriorityVersion

        super().__init__(*args, **kwargs)
        field = self.fields["priority_version"]
        field.queryset = PriorityVersion.objects.filter(departement=departement)  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"Version {v.number} — {v.rules_title} ({v.get_status_display()})"
        )


class DecisionEditForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Objet", choices=list(Decision.KINDS.items()))
    text = _text("Décision")


class CommentForm(DsfrBaseForm):
    section = forms.ChoiceField(label="Partie du projet", choices=list(Comment.SECTIONS.items()))
    text = _text("Commentaire", rows=4)


class AnswerForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label="Suite donnée",
        choices=[("retenu", "Pris en compte"), ("non_retenu", "Non retenu")],
    )
    answer = _text("Réponse (motif)", rows=2)


class SignatoryForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    signed_by = forms.CharField(label="Signataire (nom et qualité)", max_length=200, required=False)
    signed_on = _date("Signé le", required=False)
    joined_later = forms.BooleanField(
        label="A rejoint le schéma après sa signature", required=False
    )

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class OrientationForm(DsfrBaseForm):
    axis = forms.CharField(label="Axe", max_length=200, required=False)
    title = forms.CharField(label="Orientation", max_length=300)
    description = _text("Description", rows=2, required=False)


class ActionForm(DsfrBaseForm):
    orientation = forms.ModelChoiceField(label="Orientation", queryset=None)
    title = forms.CharField(label="Intitulé", max_length=300)
    objective = _text("Objectif")
    description = _text("Description", required=False)
    pilot = forms.ModelChoiceField(label="Pilote", queryset=Organisation.objects.none())
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires (co-pilotes)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    territories = forms.CharField(
        label="Territoires concernés",
        required=False,
        help_text="Codes des communes, EPCI ou territoires, séparés par des virgules.",
    )
    public = forms.CharField(label="Public visé", max_length=300, required=False)
    expected_result = _text("Niveau de résultat attendu (art. D214-2 CASF)", rows=2)
    status = forms.ChoiceField(label="État", choices=list(Action.STATUSES.items()))
    abandon_reason = _text("Motif de l'abandon", rows=2, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, scheme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orientation"].queryset = scheme.orientations.all()  # type: ignore[attr-defined]
        for name in ("pilot", "partners"):
            self.fields[name].queryset = _organisations(scheme.departement)  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "revision"}
        data["territories"] = list(str(data.get("territories") or "").split(","))
        data["partners"] = list(data.get("partners") or [])
        return data


class FundingForm(DsfrBaseForm):
    funder = forms.ModelChoiceField(label="Financeur", queryset=Organisation.objects.none())
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    amount = forms.CharField(label="Montant (€)", max_length=20)

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class MilestoneForm(DsfrBaseForm):
    title = forms.CharField(label="Étape", max_length=300)
    due_on = _date("Échéance")
    done_on = _date("Réalisée le", required=False)


class IndicatorForm(DsfrBaseForm):
    label = forms.CharField(label="Indicateur", max_length=300)
    unit = forms.CharField(label="Unité", max_length=60, required=False)
    baseline = forms.FloatField(label="Valeur de départ", required=False)
    baseline_year = forms.IntegerField(label="Année de départ", required=False)
    targets = forms.CharField(
        label="Cibles par année",
        required=False,
        help_text="Par exemple « 2025: 60, 2027: 65 ».",
    )
    higher_is_better = forms.BooleanField(
        label="Plus la valeur est haute, mieux c'est", required=False, initial=True
    )
    source_indicator = forms.ChoiceField(
        label="Ou calculé depuis le diagnostic", required=False, choices=[]
    )
    territory = forms.CharField(
        label="Territoire de l'indicateur calculé (code commune, EPCI ou département)",
        max_length=60,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sdsf.parameters.indicators import catalogue

        super().__init__(*args, **kwargs)
        self.fields["source_indicator"].choices = [("", "— saisi chaque année —")] + [  # type: ignore[attr-defined]
            (key, ind.label) for key, ind in catalogue().indicators.items()
        ]

    def clean_targets(self) -> dict[str, float]:
        text = str(self.cleaned_data.get("targets") or "")
        out: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            year, sep, value = part.partition(":")
            try:
                out[str(int(year))] = float(value.replace(" ", "").replace("\u202f", ""))
            except ValueError as exc:
                raise forms.ValidationError(
                    f"cible illisible « {part} » (attendu : « année: valeur »)"
                ) from exc
            if not sep:
                raise forms.ValidationError(f"cible illisible « {part} »")
        return out


class ValueForm(DsfrBaseForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    value = forms.FloatField(label="Valeur")
    source = forms.CharField(label="Source", max_length=300)


class OrganisationForm(DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=list(Organisation.KINDS.items())[:-1])
    territory = forms.CharField(label="Code commune ou EPCI", max_length=9, required=False)


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique")
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=[(k, v) for k, v in ROLES.items() if k not in ("administrateur", "national")],
    )

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class AcceptInvitationForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Mot de passe (confirmation)", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError("Les deux mots de passe diffèrent.")
        return data
