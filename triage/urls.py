from django.urls import path

from triage import views

app_name = "triage"

# code/, qr/ and ask/ come before the states: triage.tree.RESERVED_IDS keeps them out of the tree.
urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("qr/", views.qr, name="qr"),
    path("ask/", views.ask, name="ask"),
    path("<path:path>/", views.state, name="state"),
]
