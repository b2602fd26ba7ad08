"""Imported files and their values, with provenance.

Every stored figure belongs to the file it came from: producer, dataset, vintage, file name and
SHA-256, who imported it and when, its edition. For each (dataset, variable, level, code, year)
the value of the newest edition is in force (in :class:`Observation`); the values of older
editions are kept as history (:class:`SupersededObservation`), and every replacement is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sdsf.sources.editions import edition_label


class ImportedFile(models.Model):
    source = models.CharField("source", max_length=40)
    producer = models.CharField("producteur", max_length=80)
    dataset = models.CharField("jeu de données", max_length=80)
    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    size = models.BigIntegerField("taille (octets)")
    years = models.JSONField("années", default=list)
    levels = models.JSONField("niveaux", default=list)
    rows = models.IntegerField("valeurs stockées", default=0)
    territories = models.IntegerField("territoires", default=0)
    skipped = models.JSONField("lignes écartées", default=list)
    simulated = models.BooleanField("données simulées", default=False)
    imported_by = models.CharField("importé par", max_length=150)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    replaced_at = models.DateTimeField("remplacé le", null=True, blank=True)
    # "2023" (a year) or "2023-03-15" (a date): sorts in time (sdsf.sources.editions).
    edition = models.CharField("édition", max_length=10, blank=True, default="")

    class Meta:
        verbose_name = "fichier importé"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.dataset})"

    @property
    def years_label(self) -> str:
        """« 2016 à 2023 » for consecutive years, else the list."""
        years = sorted(int(y) for y in self.years)
        if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
            return f"{years[0]} à {years[-1]}"
        return ", ".join(str(y) for y in years)

    @property
    def active(self) -> bool:
        return self.replaced_at is None

    @property
    def edition_label(self) -> str:
        return edition_label(self.edition)


class Observation(models.Model):
    """One value: a variable for a territory and a year, from one imported file."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="observations")
    dataset = models.CharField(max_length=80)
    variable = models.CharField(max_length=60)
    level = models.CharField(max_length=20)
    code = models.CharField(max_length=60)
    year = models.IntegerField()
    value = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["variable", "level", "year"]),
            models.Index(fields=["dataset", "level", "year"]),
            # the values of a département's communes in a national database: without it each
            # read scans the values of the variables for all France (1.2 s against 0.07 s)
            models.Index(fields=["level", "code"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "variable", "level", "code", "year"], name="one_value"
            )
        ]


class SupersededObservation(models.Model):
    """A value not in force: a newer edition of the same dataset publishes the same
    (variable, level, code, year), from the file ``superseded_by``. Kept as history; no reader
    of figures reads this table."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="superseded")
    superseded_by = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="+")
    dataset = models.CharField(max_length=80)
    variable = models.CharField(max_length=60)
    level = models.CharField(max_length=20)
    code = models.CharField(max_length=60)
    year = models.IntegerField()
    value = models.FloatField(null=True)

    class Meta:
        verbose_name = "valeur d'une édition plus ancienne"
        indexes = [models.Index(fields=["dataset", "variable", "level", "code", "year"])]


class Replacement(models.Model):
    """The values of ``old_file`` for a level and a year are not in force, those of
    ``new_file`` are: a newer (or the same) edition replaced them at its import (``REPLACED``),
    or ``old_file`` is an older edition imported after ``new_file`` (``NOT_KEPT``)."""

    REPLACED, NOT_KEPT = "remplacees", "non_retenues"

    old_file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="+")
    new_file = models.ForeignKey(
        ImportedFile, on_delete=models.CASCADE, related_name="replacements"
    )
    level = models.CharField(max_length=20)
    year = models.IntegerField()
    values_replaced = models.IntegerField()
    replaced_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(
        max_length=12,
        choices=[(REPLACED, "remplacées"), (NOT_KEPT, "non retenues")],
        default=REPLACED,
    )


class Establishment(models.Model):
    """An EAJE from a local registry file."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="establishments")
    year = models.IntegerField()
    name = models.CharField(max_length=255)
    commune = models.CharField(max_length=5, db_index=True)
    psu = models.BooleanField()
    places = models.IntegerField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    poor_share = models.FloatField("part d'enfants de familles pauvres (%)", null=True)
    disabled_children = models.IntegerField("enfants en situation de handicap", null=True)
    inclusive = models.BooleanField("projet inclusif", null=True)
    publishes_availability = models.BooleanField("disponibilités publiées", null=True)
    staff_fte = models.FloatField("personnel (ETP)", null=True)

    class Meta:
        verbose_name = "établissement d'accueil du jeune enfant"


class FamilyService(models.Model):
    """A parenting-support service or a relais petite enfance, from a local registry."""

    KINDS = {
        "laep": "Lieu d'accueil enfants-parents",
        "reaap": "Action REAAP",
        "clas": "CLAS",
        "mediation": "Médiation familiale",
        "espace_rencontre": "Espace rencontre",
        "relais": "Relais petite enfance",
    }
    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="services")
    year = models.IntegerField()
    kind = models.CharField("type", max_length=20, choices=list(KINDS.items()))
    name = models.CharField(max_length=255)
    commune = models.CharField(max_length=5, db_index=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    reached = models.IntegerField("familles touchées", null=True)

    class Meta:
        verbose_name = "service aux familles"


class TravelTime(models.Model):
    """Minutes from an origin commune to a destination commune (an imported « distancier »)."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="travel_times")
    year = models.IntegerField()
    commune = models.CharField("commune d'origine", max_length=5, db_index=True)
    destination = models.CharField("commune de destination", max_length=5)
    minutes = models.FloatField()

    class Meta:
        verbose_name = "temps de trajet"


class GridCell(models.Model):
    """Children under 3 in a cell of a fine grid (or at a point), inside one commune."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="grid_cells")
    year = models.IntegerField()
    commune = models.CharField(max_length=5, db_index=True)
    longitude = models.FloatField()
    latitude = models.FloatField()
    children = models.FloatField("enfants")

    class Meta:
        verbose_name = "carreau"


class QpvCommune(models.Model):
    """A quartier prioritaire lies in a commune (linked by the commune names of the ANCT file)."""

    file = models.ForeignKey(ImportedFile, on_delete=models.CASCADE, related_name="qpv_links")
    qpv = models.CharField(max_length=10, db_index=True)
    commune = models.CharField(max_length=5, db_index=True)

    class Meta:
        verbose_name = "commune d'un quartier prioritaire"
        constraints = [models.UniqueConstraint(fields=["qpv", "commune"], name="qpv_commune")]


class DataRevision(models.Model):
    """A counter bumped by every change of stored data or territories: computed tables are
    cached under it, so a cache entry is never served after the data it came from changed."""

    value = models.BigIntegerField(default=0)
    token = models.CharField(max_length=12, default="")
    # drawn again when every département's tables are stale (territories changed, or a change
    # whose reach is not known)
    base = models.CharField(max_length=12, default="")


class DepartementRevision(models.Model):
    """The revision of the data one département's tables are computed from: drawn again by
    every change that reaches the département (its communes, the EPCI it shares, the
    neighbours within a catchment), so that a change elsewhere leaves its tables in the cache."""

    departement = models.CharField(max_length=3, unique=True)
    token = models.CharField(max_length=12, default="")


def current_user_name(user: object | None) -> str:
    name = getattr(user, "get_username", lambda: "")() if user is not None else ""
    return name or getattr(settings, "SDSF_CLI_USER", "") or "ligne de commande"


class ImportJob(models.Model):
    """A file sent from the web, imported by a worker process: its progress, then the report,
    the refusal, or the implausible results waiting for the person's confirmation."""

    WAITING, RUNNING, TO_CONFIRM = "en_attente", "en_cours", "a_confirmer"
    DONE, FAILED, CANCELLED = "termine", "echec", "annule"
    STATUSES = {
        WAITING: "en attente",
        RUNNING: "en cours",
        TO_CONFIRM: "à confirmer",
        DONE: "importé",
        FAILED: "refusé",
        CANCELLED: "annulé",
    }
    ACTIVE = (WAITING, RUNNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.CharField("demandé par", max_length=150)
    source = models.CharField("source", max_length=40)
    file_name = models.CharField("fichier", max_length=255)
    staged = models.CharField("fichier reçu", max_length=500, blank=True)
    size = models.BigIntegerField("taille (octets)", default=0)
    level = models.CharField("niveau", max_length=20, blank=True)
    year = models.IntegerField("année", null=True, blank=True)
    edition = models.CharField("édition", max_length=10, blank=True, default="")
    ignore_unknown = models.BooleanField("codes inconnus écartés", default=False)
    confirmed = models.BooleanField("confirmé", default=False)
    status = models.CharField(max_length=12, choices=list(STATUSES.items()), default=WAITING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape", max_length=200, blank=True)
    preview = models.JSONField("aperçu", default=dict)  # coverage, warnings, changes, changed
    report = models.JSONField("compte rendu", default=list)
    error = models.TextField("motif du refus", blank=True)
    imported_file = models.ForeignKey(
        ImportedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import en arrière-plan"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE
