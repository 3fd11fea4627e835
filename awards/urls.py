from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("status/<int:pk>", views.status_list, name="status_list"),
    path("<uuid:uuid>/credential.json", views.credential, name="credential"),
]
