"""What no admin screen writes: history that restores nothing, change forms that write only
their own fields, inlines that only show."""

from __future__ import annotations

from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class ViewOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History pages that show every earlier version and restore none.

    A revert saves an old version of the row whole (status, assignee and everything else),
    past the services that guard each step: an Editor could revert a published claim to
    "in review", draft new text and revert it to "published" (issue 17). Here a version's
    page is read-only and a POST to it is refused.
    """

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return True

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):  # noqa: ANN001
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001
        match = getattr(request, "resolver_match", None)
        if match is not None and (match.url_name or "").endswith("_simple_history"):
            if self.fieldsets:
                return flatten_fieldsets(self.fieldsets)
            if self.fields:
                return tuple(self.fields)
            return tuple(f.name for f in self.model._meta.get_fields() if f.concrete and not f.auto_created)
        return super().get_readonly_fields(request, obj)


class WritesOnlyItsFields:
    """A change form that writes the columns its form edits, never the whole row as it was
    read: a status a worker or a service set in the meantime is not written back."""

    def save_model(self, request: HttpRequest, obj, form, change) -> None:  # noqa: ANN001
        if not change:
            return super().save_model(request, obj, form, change)
        fields = [f.name for f in obj._meta.concrete_fields if f.name in form.changed_data]
        if fields:
            obj.save(update_fields=fields)
        return None


class WrittenByServices:
    """A screen that shows rows and changes none: nobody adds, changes or deletes them by
    hand (services write them); actions the screen declares may still act on them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class ReadOnlyInline:
    """An inline that shows rows and changes none: every field read-only, no adding or
    deleting (the rows are written by services, never by hand)."""

    extra = 0
    can_delete = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.readonly_fields = tuple(cls.fields)

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
