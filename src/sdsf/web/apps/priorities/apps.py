from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "sdsf.web.apps.priorities"
    label = "priorities"
    verbose_name = "Territoires prioritaires"
