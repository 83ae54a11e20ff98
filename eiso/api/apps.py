from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "eiso.api"
    label = "api"
    verbose_name = "API"
