from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "sdsf.web.apps.actionplan"
    label = "actionplan"
    verbose_name = "Schémas : orientations, plan d'action, indicateurs"

    def ready(self) -> None:
        from sdsf.web.apps.actionplan import computed  # noqa: F401  (signal receivers)
