from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sdsf.web.apps.documents"
    label = "documents"
    verbose_name = "Documents : schéma, bilan annuel, fiche territoire"

    def ready(self) -> None:
        from sdsf.web.apps.documents import receivers  # noqa: F401
