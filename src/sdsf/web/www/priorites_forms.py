"""Forms of the priority territories (State design system): a proposal, a manual change, the
committee's validation, an adaptation of the rules. The pages write their own HTML with the
same field names; these forms check what comes back, with a French message."""

from __future__ import annotations

from typing import Any

from django import forms

from sdsf.core import columns as c
from sdsf.parameters.rules import RuleSet
from sdsf.web.apps.priorities.models import ManualChange, PriorityVersion
from sdsf.web.www import fields


class ProposalForm(fields.CheckedForm):
    regles = forms.ChoiceField(label="Règles")

    def __init__(self, *args: Any, rules: dict[str, RuleSet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regles"].choices = [(k, r.title) for k, r in rules.items()]  # type: ignore[attr-defined]


class ManualChangeForm(fields.CheckedForm):
    territoire = forms.ChoiceField(label="Territoire")
    modification = forms.ChoiceField(
        label="Modification",
        choices=[
            (ManualChange.ADD, "ajouter à la liste"),
            (ManualChange.REMOVE, "retirer de la liste"),
        ],
    )
    justification = fields.long_text("Justification écrite", rows=2)

    def __init__(self, *args: Any, version: PriorityVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = [  # type: ignore[attr-defined]
            (str(r[c.CODE]), f"{r[c.LABEL]} ({r[c.CODE]})") for r in version.result
        ]


class ValidationForm(fields.CheckedForm):
    date = fields.date("Date de la séance")
    seance = fields.text("Séance", 200)
    decision = fields.long_text("Texte de la décision")


class AdaptForm(fields.CheckedForm):
    """The name and reason of the adapted rules; for each criterion of the rule set, a new
    threshold (a finite number) or its removal."""

    nom = fields.text("Nom des règles adaptées", 200, required=False)
    motif = fields.long_text("Motif de l'adaptation")

    def __init__(self, *args: Any, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for item in rules.criteria:
            self.fields[f"seuil_{item.id}"] = fields.number(
                f"Seuil « {item.label} »", required=False
            )
            self.fields[f"retirer_{item.id}"] = forms.BooleanField(
                label=f"Retirer « {item.label} »", required=False
            )

    def changes(self) -> dict[str, Any]:
        """The overlay: removed criteria (None) and new thresholds."""
        out: dict[str, Any] = {}
        for item in self.rules.criteria:
            if self.cleaned_data.get(f"retirer_{item.id}"):
                out[item.id] = None
            elif self.cleaned_data.get(f"seuil_{item.id}") is not None:
                out[item.id] = {"seuil": {"valeur": self.cleaned_data[f"seuil_{item.id}"]}}
        return {"criteres": out}
