from django.urls import path

from award_imports import views

app_name = "award_imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress.json", views.import_progress, name="progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/resume/", views.import_resume, name="resume"),
    path("<int:pk>/discard/", views.import_discard, name="discard"),
]
