from django.urls import path

from approvals import views

app_name = "committee"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/close/", views.close_round, name="close"),
    path("rounds/<int:round_id>/<str:action>/", views.round_action, name="action"),
]
