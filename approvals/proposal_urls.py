from django.urls import path

from approvals import proposal_views as views

app_name = "proposals"

urlpatterns = [
    path("new/", views.interest_form, name="new"),
    path("similar/", views.similar, name="similar"),
    path("mine/", views.my_proposals, name="mine"),
    path("queue/", views.staff_queue, name="queue"),
    path("committee/", views.committee_list, name="committee"),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/read/", views.notifications_mark_read, name="notifications_read"
    ),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_interest_form, name="edit"),
    path("<int:pk>/transition/<str:name>/", views.transition, name="transition"),
]
