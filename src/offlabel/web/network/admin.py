from django.contrib import admin

from offlabel.web.network.models import (
    ConsultMessage,
    ConsultRequest,
    Invitation,
    MemberHandle,
    Notification,
    NotificationSetting,
    Post,
    PrescriberListing,
    RequestVote,
    ReviewRequest,
    Subscription,
    Thread,
)


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "availability", "topic", "created"]
    list_filter = ["status", "availability"]
    raw_id_fields = ["requester", "merged_into", "topic"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "is_public", "is_locked", "last_activity"]
    list_filter = ["is_public", "is_locked"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created", "is_hidden"]
    list_filter = ["is_hidden"]
    raw_id_fields = ["thread", "author", "reply_to", "hidden_by"]


@admin.register(PrescriberListing)
class PrescriberListingAdmin(admin.ModelAdmin):
    list_display = ["prescriber", "topic", "years_experience", "cases"]


@admin.register(ConsultRequest)
class ConsultRequestAdmin(admin.ModelAdmin):
    # Messages between the two colleagues are private: the admin lists requests, not messages.
    list_display = ["__str__", "prescriber", "status", "created"]
    list_filter = ["status"]
    exclude = ["question"]


admin.site.register(RequestVote)
admin.site.register(Invitation)
admin.site.register(NotificationSetting)
admin.site.register(Notification)
admin.site.register(Subscription)
admin.site.register(MemberHandle)
_ = ConsultMessage  # deliberately not in the admin: private between two people
