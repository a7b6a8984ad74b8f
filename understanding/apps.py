from django.apps import AppConfig


class UnderstandingConfig(AppConfig):
    name = "understanding"
    verbose_name = "理解商户的说法"
