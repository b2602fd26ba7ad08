"""Forms of the schéma workspace (State design system)."""

from __future__ import annotations

import math
from typing import Any

from django import forms

from sdsf.parameters.governance import calendars
from sdsf.web.apps.accounts.models import ROLES, Organisation
from sdsf.web.apps.actionplan.models import Action
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.services import FORMAT_LABELS
from sdsf.web.apps.schemes import checks
from sdsf.web.apps.schemes.models import Attendance, Comment, Decision
from sdsf.web.www import fields

DATE = fields.DATE_WIDGET
_date = fields.date
_text = fields.long_text


class SchemeForm(fields.CheckedForm):
    title = forms.CharField(label="Intitulé", max_length=200)
    start = _date("Début du schéma")
    template = forms.ChoiceField(label="Modèle de calendrier")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [  # type: ignore[attr-defined]
            (k, t.title) for k, t in calendars().items()
        ]


class RevisedForm(fields.CheckedForm):
    """A form that edits a saved object: it carries the revision it was opened at, so that a
    save over someone else's is refused with the difference (schemes.revisions)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def at_revision(self, revision: int) -> None:
        """Bring a form sent back after a conflict to the saved revision: sent again, it
        replaces what is saved, knowingly."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("revision")] = str(revision)


class PeriodForm(RevisedForm):
    start = _date("Début du schéma")
    end = _date("Fin du schéma (six ans au plus)")


class TextsForm(RevisedForm):
    editorial = _text("Éditorial (signé par les présidents des instances)", 8, required=False)
    issues = _text(
        "Enjeux (une ligne commençant par « - » fait une puce ; une ligne vide, un paragraphe)",
        10,
        required=False,
    )


class DocumentForm(fields.CheckedForm):
    kind = forms.ChoiceField(label="Document")
    formats = forms.MultipleChoiceField(
        label="Formats", widget=forms.CheckboxSelectMultiple, initial=["docx", "pdf"]
    )
    year = fields.year("Année du bilan annuel", required=False)
    territory = forms.CharField(
        label="Fiche territoire : code de la commune, de l'EPCI ou du territoire",
        required=False,
        max_length=60,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(DocumentJob.KINDS.items())  # type: ignore[attr-defined]
        self.fields["formats"].choices = list(FORMAT_LABELS.items())  # type: ignore[attr-defined]


class PhaseForm(RevisedForm):
    planned_start = _date("Début prévu")
    planned_end = _date("Fin prévue")
    actual_start = _date("Début réel", required=False)
    actual_end = _date("Fin réelle", required=False)


class MeetingForm(fields.CheckedForm):
    date = _date("Date")
    title = forms.CharField(label="Intitulé", max_length=200, initial="Comité de pilotage")
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    agenda = _text("Ordre du jour", required=False)


class MinutesForm(RevisedForm):
    agenda = _text("Ordre du jour", required=False)
    minutes = _text("Compte rendu", rows=8, required=False)


def _organisations(departement: str) -> Any:
    return Organisation.objects.filter(departement=departement).order_by("name")


class AttendanceForm(fields.CheckedForm):
    name = forms.CharField(label="Nom", max_length=200)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    status = forms.ChoiceField(label="Présence", choices=list(Attendance.STATUSES.items()))

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class DecisionForm(fields.CheckedForm):
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


class DecisionEditForm(RevisedForm):
    kind = forms.ChoiceField(label="Objet", choices=list(Decision.KINDS.items()))
    text = _text("Décision")


class CommentForm(fields.CheckedForm):
    section = forms.ChoiceField(label="Partie du projet", choices=list(Comment.SECTIONS.items()))
    text = _text("Commentaire", rows=4)


class AnswerForm(RevisedForm):
    status = forms.ChoiceField(
        label="Suite donnée",
        choices=[("retenu", "Pris en compte"), ("non_retenu", "Non retenu")],
    )
    answer = _text("Réponse (motif)", rows=2)


class SignatoryForm(fields.CheckedForm):
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


class OrientationForm(RevisedForm):
    axis = forms.CharField(label="Axe", max_length=200, required=False)
    title = forms.CharField(label="Orientation", max_length=300)
    description = _text("Description", rows=2, required=False)


class ActionForm(fields.CheckedForm):
    orientation = forms.ModelChoiceField(label="Orientation", queryset=None)
    title = forms.CharField(label="Intitulé", max_length=300)
    objective = _text("Objectif")
    description = _text("Description", required=False)
    pilot = forms.ModelChoiceField(label="Pilote", queryset=Organisation.objects.none())
    partners = fields.ModelsField(
        label="Partenaires (co-pilotes)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    territories = forms.CharField(
        label="Territoires concernés",
        required=False,
        max_length=5000,
        help_text="Codes des communes, EPCI ou territoires, séparés par des virgules.",
    )
    public = forms.CharField(label="Public visé", max_length=300, required=False)
    expected_result = _text("Niveau de résultat attendu (art. D214-2 CASF)", rows=2)
    status = forms.ChoiceField(label="État", choices=list(Action.STATUSES.items()))
    abandon_reason = _text("Motif de l'abandon", rows=2, required=False)
    revision = forms.IntegerField(
        label="Version de l'action", widget=forms.HiddenInput, required=False, min_value=0
    )

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


class FundingForm(fields.CheckedForm):
    funder = forms.ModelChoiceField(label="Financeur", queryset=Organisation.objects.none())
    year = fields.year("Année")
    amount = fields.AmountField(
        label="Montant (€)",
        help_text=f"En euros, au centime près, {checks.AMOUNT_MAX_LABEL} au plus.",
    )

    def __init__(self, *args: Any, departement: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = _organisations(departement)  # type: ignore[attr-defined]


class MilestoneForm(fields.CheckedForm):
    title = forms.CharField(label="Étape", max_length=300)
    due_on = _date("Échéance")
    done_on = _date("Réalisée le", required=False)


class IndicatorForm(fields.CheckedForm):
    label = forms.CharField(label="Indicateur", max_length=300)
    unit = forms.CharField(label="Unité", max_length=60, required=False)
    baseline = fields.number("Valeur de départ", required=False)
    baseline_year = fields.year("Année de départ", required=False)
    targets = forms.CharField(
        label="Cibles par année",
        required=False,
        max_length=2000,
        help_text="Par exemple « 2025: 60, 2027: 65 », ou « 2025: 60,5; 2027: 65 » avec des "
        "décimales. Une cible plus basse que le départ convient à un indicateur dont la "
        "valeur doit baisser (case ci-dessous décochée).",
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
        """« 2025: 60, 2027: 65 » (or separated by « ; » when the values have a decimal
        comma): years within bounds, finite numbers, one target a year."""
        text = str(self.cleaned_data.get("targets") or "")
        out: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(";" if ";" in text else ","))):
            shown = part if len(part) <= 40 else part[:40] + "…"
            year, sep, value = part.partition(":")
            try:
                found = int(year.strip())
                number = float(
                    value.strip()
                    .replace(" ", "")
                    .replace("\u202f", "")
                    .replace("\xa0", "")
                    .replace(",", ".")
                )
            except ValueError as exc:
                raise forms.ValidationError(
                    f"Cible illisible « {shown} » (attendu : « année: valeur »)."
                ) from exc
            if not sep or not math.isfinite(number) or abs(number) > checks.NUMBER_MAX:
                raise forms.ValidationError(
                    f"Cible illisible « {shown} » (attendu : « année: valeur », la valeur "
                    "un nombre entre -10^15 et 10^15)."
                )
            if not checks.YEAR_MIN <= found <= checks.YEAR_MAX:
                raise forms.ValidationError(
                    f"Cible « {shown} » : une année entre {checks.YEAR_MIN} et "
                    f"{checks.YEAR_MAX} est attendue."
                )
            if str(found) in out:
                raise forms.ValidationError(f"Deux cibles pour {found} : une seule par année.")
            out[str(found)] = number
        return out


class ValueForm(fields.CheckedForm):
    year = fields.year("Année")
    value = fields.number("Valeur")
    source = forms.CharField(label="Source", max_length=300)


class OrganisationForm(fields.CheckedForm):
    name = forms.CharField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=list(Organisation.KINDS.items())[:-1])
    territory = forms.CharField(label="Code commune ou EPCI", max_length=9, required=False)


class InvitationForm(fields.CheckedForm):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
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


class AcceptInvitationForm(fields.CheckedForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", widget=forms.PasswordInput, max_length=4096)
    password2 = forms.CharField(
        label="Mot de passe (confirmation)", widget=forms.PasswordInput, max_length=4096
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError("Les deux mots de passe diffèrent.")
        return data
