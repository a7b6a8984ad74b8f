from django.urls import path

from codes import views

app_name = "codes"

# jump/ comes before the cards; no code has that shape (codes are two characters).
urlpatterns = [
    path("", views.index, name="index"),
    path("jump/", views.jump, name="jump"),
    path("<str:code>/", views.card, name="card"),
]
