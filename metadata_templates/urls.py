from django.urls import path

from metadata_templates import views

app_name = "drafts"

urlpatterns = [
    path("", views.editor, name="editor"),
    path("check/", views.live_check, name="check"),
    path("badges/add/", views.add_badge, name="add_badge"),
    path("badges/<slug:key>/image/", views.badge_artwork, name="artwork"),
    path("history/", views.history, name="history"),
    path("compare/", views.compare, name="compare"),
    path("revisions/<int:number>/", views.revision_detail, name="revision"),
    path("revisions/<int:number>/restore/", views.restore, name="restore"),
    path("drafts/<int:number>/", views.draft_review, name="draft"),
    path("drafts/<int:number>/comments/", views.add_comment, name="comment"),
    path("comments/<int:comment_id>/resolve/", views.resolve, name="resolve"),
    path("comments/<int:comment_id>/reopen/", views.reopen, name="reopen"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
]

# Under /proposals/<pk>/attachments/, namespace "attachments".
attachment_urlpatterns = [
    path("", views.attachments, name="list"),
    path("<int:attachment_id>/", views.attachment_download, name="download"),
    path("<int:attachment_id>/remove/", views.attachment_remove, name="remove"),
]
