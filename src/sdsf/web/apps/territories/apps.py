from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "sdsf.web.apps.territories"
    label = "territories"
    verbose_name = "Territoires"

    def ready(self) -> None:
        # The admin runs without autodiscovery (django-leaflet's admin module needs GDAL).
        from sdsf.web.apps.territories import admin  # noqa: F401
