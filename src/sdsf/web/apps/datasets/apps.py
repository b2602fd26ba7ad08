from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "sdsf.web.apps.datasets"
    label = "datasets"
    verbose_name = "Données importées"

    def ready(self) -> None:
        # The admin runs without autodiscovery (django-leaflet's admin module needs GDAL).
        from sdsf.web.apps.datasets import admin, receivers  # noqa: F401
