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
    # A file's name may have a folder in it (examples/locked.yaml): the longer routes first.
    path("files/<path:name>/history/", views.file_history, name="file-history"),
    path("files/<path:name>/revert/", views.revert_file, name="file-revert"),
    path("files/<path:name>/", views.edit_file, name="file"),
]
