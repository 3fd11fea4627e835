from django.urls import include, path

from courses import views

app_name = "courses"

mapping_urls = [
    path("", views.detail, name="detail"),
    path("edit/", views.edit, name="edit"),
    path("comment/", views.add_comment, name="comment"),
    path("comments/<int:comment_id>/resolve/", views.resolve, name="resolve"),
    path("training/", views.training_update, name="training_update"),
    path("do/<str:name>/", views.transition, name="transition"),
    path("award/", views.award, name="award"),
]

urlpatterns = [
    path("", views.mapping_list, name="list"),
    path("new/", views.new, name="new"),
    path("training/", views.training_list, name="training"),
    path("<int:pk>/", include(mapping_urls)),
]
