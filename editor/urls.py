from django.urls import path

from editor import views

app_name = "editor"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_guide, name="new"),
    path("triage/", views.tree, name="tree"),
    path("guides/<str:slug>/", views.edit_guide, name="guide"),
    path("guides/<str:slug>/history/", views.guide_history, name="guide-history"),
    path("guides/<str:slug>/revert/", views.revert_guide, name="guide-revert"),
    path("files/<str:name>/", views.edit_file, name="file"),
    path("files/<str:name>/history/", views.file_history, name="file-history"),
    path("files/<str:name>/revert/", views.revert_file, name="file-revert"),
]
