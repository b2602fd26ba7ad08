"""Site-wide template context (replaces django-dsfr's database-backed site configuration)."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpRequest

SITE = SimpleNamespace(
    site_title="sdsf",
    site_tagline="Schémas départementaux des services aux familles",
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    footer_description="Diagnostic territorial partagé de l'accueil du jeune enfant et du "
    "soutien à la parentalité. Logiciel libre sous licence EUPL-1.2.",
    mourning=False,
    beta_tag=True,
    notice_title="",
    notice_description="",
    accessibility_status="non conforme",
)


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_CONFIG": SITE}
