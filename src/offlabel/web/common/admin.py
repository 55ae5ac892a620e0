from django.contrib import admin

from offlabel.web.common.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the site's own pages change these through the services
    (validation, an audit row), so the admin can be no back door around them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is written by services only; nobody edits or deletes a row (the model refuses,
    and on PostgreSQL a trigger refuses UPDATE and DELETE too)."""

    list_display = ("at", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor__email")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
