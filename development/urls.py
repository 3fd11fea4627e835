from django.urls import path

from development import views

app_name = "development"

urlpatterns = [
    path("development/", views.mine, name="mine"),
    path("development/staff/", views.staff, name="staff"),
    path("development/people/<int:user_id>/", views.person, name="person"),
    path("development/award/", views.award, name="award"),
    path(
        "development/evidence/<int:evidence_id>/remove/",
        views.remove_evidence,
        name="remove_evidence",
    ),
    path("proposals/<int:pk>/launch/", views.checklist, name="launch"),
]
