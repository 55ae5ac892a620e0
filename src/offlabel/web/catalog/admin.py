from django.contrib import admin

from offlabel.web.catalog.models import Condition, Therapy, Topic


@admin.register(Therapy)
class TherapyAdmin(admin.ModelAdmin):
    list_display = ("name", "therapy_class")
    search_fields = ("name", "synonyms")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("name", "species")
    list_filter = ("species",)
    search_fields = ("name", "synonyms")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "updated")
    list_filter = ("status", "condition__species")
    list_select_related = ("therapy", "condition")
    search_fields = ("therapy__name", "condition__name", "slug")
