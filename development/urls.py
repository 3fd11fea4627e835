from django.urls import path

from development import views

app_name = "development"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("staff/", views.staff, name="staff"),
    path("people/<int:user_id>/", views.person, name="person"),
]

# Mounted by config/urls.py in the proposals namespace, beside the proposal's pages.
record_urlpatterns = [
    path("<int:pk>/launch/", views.checklist, name="launch"),
]
