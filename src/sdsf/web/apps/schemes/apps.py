from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "sdsf.web.apps.schemes"
    label = "schemes"
    verbose_name = "Schémas : gouvernance"
