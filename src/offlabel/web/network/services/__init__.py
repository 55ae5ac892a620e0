"""Writes of the community app, one module per concept (re-exported here)."""

from offlabel.web.network.services.consults import (
    can_decide,
    consult_decide,
    consult_message_send,
    consult_request_create,
    consult_share_contact,
    invitation_send,
    listing_delete,
    listing_save,
)
from offlabel.web.network.services.discussions import (
    find_mentions,
    post_create,
    post_set_hidden,
    thread_create,
    thread_moderate,
)
from offlabel.web.network.services.notifications import (
    digest_send,
    notification_setting_get,
    notification_setting_update,
    notifications_mark_read,
    notify,
)
from offlabel.web.network.services.requests import (
    clean_links,
    request_create,
    request_link_topic,
    request_merge,
    request_set_availability,
    request_vote,
    requests_notify_published,
)
from offlabel.web.network.services.subscriptions import (
    subscribers_notify_published,
    subscription_follow,
    subscription_unfollow,
)

__all__ = [
    "can_decide",
    "clean_links",
    "consult_decide",
    "consult_message_send",
    "consult_request_create",
    "consult_share_contact",
    "digest_send",
    "find_mentions",
    "invitation_send",
    "listing_delete",
    "listing_save",
    "notification_setting_get",
    "notification_setting_update",
    "notifications_mark_read",
    "notify",
    "post_create",
    "post_set_hidden",
    "request_create",
    "request_link_topic",
    "request_merge",
    "request_set_availability",
    "request_vote",
    "requests_notify_published",
    "subscribers_notify_published",
    "subscription_follow",
    "subscription_unfollow",
    "thread_create",
    "thread_moderate",
]
