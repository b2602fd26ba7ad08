"""Orientations, actions (fiches action) and their indicators.

Every change of an action, of its indicators and of their values is kept (django-simple-
history: who, when, before and after). ``revision`` counts an action's saved edits: an edit
made from an older revision is refused and shown the difference (no silent overwrite).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from sdsf.web.apps.accounts.models import Organisation
from sdsf.web.apps.schemes.models import Scheme


class Orientation(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="orientations")
    axis = models.CharField("axe", max_length=200, blank=True)
    title = models.CharField("orientation", max_length=300)
    description = models.TextField("description", blank=True)
    national = models.CharField("priorité nationale", max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "orientation"
        ordering = ["scheme", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    PLANNED, RUNNING, DONE, ABANDONED = "prevue", "en_cours", "realisee", "abandonnee"
    STATUSES = {
        PLANNED: "prévue",
        RUNNING: "en cours",
        DONE: "réalisée",
        ABANDONED: "abandonnée",
    }
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="actions")
    orientation = models.ForeignKey(
        Orientation, on_delete=models.PROTECT, related_name="actions", verbose_name="orientation"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    objective = models.TextField("objectif")
    description = models.TextField("description", blank=True)
    pilot = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="piloted", verbose_name="pilote"
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="co_piloted", verbose_name="partenaires"
    )
    territories = models.JSONField("territoires concernés (codes)", default=list, blank=True)
    public = models.CharField("public visé", max_length=300, blank=True)
    expected_result = models.TextField("niveau de résultat attendu (art. D214-2 CASF)")
    status = models.CharField(
        "état", max_length=12, choices=list(STATUSES.items()), default=PLANNED
    )
    abandon_reason = models.TextField("motif de l'abandon", blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "action"
        ordering = ["scheme", "number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="action_number")]

    def __str__(self) -> str:
        return f"Action {self.number} : {self.title}"


class Funding(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name="financeur")
    year = models.PositiveSmallIntegerField("année")
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "financement"
        ordering = ["action", "year", "funder__name"]


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("étape", max_length=300)
    due_on = models.DateField("échéance")
    done_on = models.DateField("réalisée le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jalon"
        ordering = ["action", "due_on"]


class ActionIndicator(models.Model):
    """An indicator of an action: typed in each year, or computed from the diagnostic
    (``source_indicator``: a catalogue indicator, for ``territory`` of ``level``)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField("indicateur", max_length=300)
    unit = models.CharField("unité", max_length=60, blank=True)
    baseline = models.FloatField("valeur de départ", null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("année de départ", null=True, blank=True)
    targets = models.JSONField("cibles par année", default=dict, blank=True)
    higher_is_better = models.BooleanField("plus c'est haut, mieux c'est", default=True)
    source_indicator = models.CharField("indicateur du diagnostic", max_length=80, blank=True)
    level = models.CharField("niveau", max_length=20, blank=True)
    territory = models.CharField("territoire", max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur d'action"
        ordering = ["action", "id"]

    @property
    def computed(self) -> bool:
        return bool(self.source_indicator)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(ActionIndicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("année")
    value = models.FloatField("valeur")
    source = models.CharField("source", max_length=300)
    entered_on = models.DateField("saisie le")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField("calculée depuis le diagnostic", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur d'indicateur"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_value_per_year")
        ]
