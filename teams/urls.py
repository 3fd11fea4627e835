from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("proposals/<int:pk>/team/", views.team_detail, name="detail"),
    path("proposals/<int:pk>/team/invite/", views.invite, name="invite"),
    path("proposals/<int:pk>/team/people/", views.people, name="people"),
    path(
        "proposals/<int:pk>/team/invitations/<int:invitation_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path(
        "proposals/<int:pk>/team/members/<int:member_id>/lead/",
        views.make_lead,
        name="make_lead",
    ),
    path(
        "proposals/<int:pk>/team/members/<int:member_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("proposals/<int:pk>/team/call/", views.open_call, name="open_call"),
    path(
        "proposals/<int:pk>/team/call/<int:call_id>/close/",
        views.close_call,
        name="close_call",
    ),
    path(
        "proposals/<int:pk>/team/requests/<int:request_id>/<str:decision>/",
        views.decide_request,
        name="decide_request",
    ),
    path(
        "proposals/<int:pk>/team/meetings/new/", views.meeting_form, name="meeting_new"
    ),
    path(
        "proposals/<int:pk>/team/meetings/<int:meeting_id>/",
        views.meeting_form,
        name="meeting_edit",
    ),
    path(
        "proposals/<int:pk>/team/employer-input/new/",
        views.employer_input_form,
        name="employer_input_new",
    ),
    path("team-invitations/<str:token>/", views.invitation, name="invitation"),
    path("calls/<int:call_id>/join/", views.join_call, name="join"),
]
