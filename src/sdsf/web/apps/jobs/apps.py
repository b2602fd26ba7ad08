from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "sdsf.web.apps.jobs"
    label = "jobs"
    verbose_name = "Travaux en arrière-plan : processus de travail et reprise"
