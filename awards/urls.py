from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("badges/<int:badge_id>/", views.badge_awards, name="badge"),
    path("verify/", views.verify_file, name="verify_file"),
    path("claim/<str:token>/", views.claim, name="claim"),
    path("status/<int:list_id>", views.status_list, name="status_list"),
    path("<uuid:uuid>/", views.verify, name="verify"),
    path("<uuid:uuid>/revoke/", views.revoke, name="revoke"),
    path("<uuid:uuid>/<str:name>", views.award_file, name="file"),
]
