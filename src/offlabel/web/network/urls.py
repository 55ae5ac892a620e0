from django.urls import path

from offlabel.web.network.views import consults, discussions, follow, members, misc, requests

app_name = "network"

urlpatterns = [
    path("", requests.future, name="future"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/vote/", requests.request_vote, name="request_vote"),
    path(
        "requests/<int:pk>/availability/",
        requests.request_availability,
        name="request_availability",
    ),
    path("requests/<int:pk>/merge/", requests.request_merge, name="request_merge"),
    path("requests/<int:pk>/link/", requests.request_link, name="request_link"),
    path("discussions/", discussions.discussion_index, name="discussions"),
    path(
        "discussions/topic/<slug:slug>/",
        discussions.topic_discussions,
        name="topic_discussions",
    ),
    path("discussions/<int:pk>/", discussions.thread_detail, name="thread"),
    path("discussions/<int:pk>/reply/", discussions.thread_reply, name="thread_reply"),
    path("discussions/<int:pk>/moderate/", discussions.thread_moderate, name="thread_moderate"),
    path("posts/<int:pk>/hide/", discussions.post_hide, name="post_hide"),
    path("prescribers/", consults.prescribers, name="prescribers"),
    path("prescribers/mine/", consults.my_listings, name="my_listings"),
    path("prescribers/mine/<int:pk>/remove/", consults.listing_remove, name="listing_remove"),
    path("consults/", consults.consults, name="consults"),
    path("consults/new/", consults.consult_new, name="consult_new"),
    path("consults/<int:pk>/", consults.consult_detail, name="consult"),
    path("consults/<int:pk>/decide/", consults.consult_decide, name="consult_decide"),
    path("consults/<int:pk>/message/", consults.consult_message, name="consult_message"),
    path("consults/<int:pk>/contact/", consults.consult_contact, name="consult_contact"),
    path("invite/", misc.invite, name="invite"),
    path("red-flags/", misc.red_flags, name="red_flags"),
    path("notifications/", misc.notifications, name="notifications"),
    path("notifications/settings/", misc.notification_settings, name="notification_settings"),
    path("following/", follow.following, name="following"),
    path("follow/<slug:topic_slug>/", follow.follow, name="follow"),
    path("unfollow/<slug:topic_slug>/", follow.unfollow, name="unfollow"),
    path("members/complete/", members.complete, name="member_complete"),
    path("members/<slug:handle>/", members.member, name="member"),
]
