from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "sdsf.web.apps.territories"
    label = "territories"
    verbose_name = "Territoires"
