from django.apps import AppConfig


class PhotoConfig(AppConfig):
    name = "photo"
    verbose_name = "拍屏幕"
