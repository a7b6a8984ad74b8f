from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.home, name="home"),
    path("categories/<str:category_id>/", views.category, name="category"),
    path("guides/<str:slug>/", views.guide, name="guide"),
]
