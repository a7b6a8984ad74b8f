from django.contrib.auth import views as auth_views
from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("insights/event", views.event, name="event"),
    path("guides/<str:slug>/feedback/", views.guide_vote, name="guide-feedback"),
    path("guides/<str:slug>/feedback/reason/", views.guide_reason, name="reason"),
    path("guides/<str:slug>/feedback/thanks/", views.thanks, name="thanks"),
    path("staff/insights/", views.staff, name="staff"),
    path("staff/insights/<str:table>.csv", views.staff_csv, name="staff-csv"),
    path("staff/login/", views.login, name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(next_page="insights:login"), name="logout"),
    path("staff/admin/login/", views.admin_login, name="admin-login"),
]
