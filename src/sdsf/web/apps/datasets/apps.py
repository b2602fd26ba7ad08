from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "sdsf.web.apps.datasets"
    label = "datasets"
    verbose_name = "Données importées"
