from django.contrib import admin

from editor.models import Revision


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Read only: a version is changed by publishing a new one (at /staff/content/)."""

    list_display = ("path", "number", "editor", "created", "message")
    list_filter = ("path",)
    search_fields = ("path", "message")
    exclude = ("previous",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
