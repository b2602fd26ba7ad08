from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "sdsf.web.www"
    label = "www"
    verbose_name = "Pages"
