"""The newsroom's scoring layer: which one is in use, its figures, when it changed; and a
button for publishers to retrain it now (claims.services.learning)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import ScorerLayer
from .base import WrittenByServices


def _figure(layer: ScorerLayer, which: str, name: str) -> str:
    value = (layer.figures or {}).get(which, {}).get(name)
    return "-" if value is None else f"{value:.3f}"


@admin.register(ScorerLayer)
class ScorerLayerAdmin(WrittenByServices, admin.ModelAdmin):
    """Read-only: layers are written by training alone."""

    list_display = (
        "id", "created_at", "active", "activated_at", "decisions", "old_log_loss", "new_log_loss",
        "old_f1", "new_f1", "triggered_by",
    )
    list_filter = ("active",)
    readonly_fields = (
        "created_at", "active", "activated_at", "decisions", "triggered_by", "note", "figures", "coefficients",
    )
    fields = readonly_fields
    change_list_template = "admin/claims/scorerlayer/change_list.html"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        # Everyone on the desk may see what orders their queue.
        return request.user.is_active and request.user.has_perm("claims.view_claim")

    @admin.display(description=_("old log-loss"))
    def old_log_loss(self, layer: ScorerLayer) -> str:
        return _figure(layer, "old", "log_loss")

    @admin.display(description=_("new log-loss"))
    def new_log_loss(self, layer: ScorerLayer) -> str:
        return _figure(layer, "new", "log_loss")

    @admin.display(description=_("old F1"))
    def old_f1(self, layer: ScorerLayer) -> str:
        return _figure(layer, "old", "f1")

    @admin.display(description=_("new F1"))
    def new_f1(self, layer: ScorerLayer) -> str:
        return _figure(layer, "new", "f1")

    def get_urls(self):  # noqa: ANN201
        train = path("train/", self.admin_site.admin_view(self.train_view), name="claims_scorerlayer_train")
        return [train, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context=None):  # noqa: ANN001, ANN201
        user = request.user
        extra = {"fc_may_train": user.is_superuser or user.has_perm(services.PUBLISH_PERMISSION)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def train_view(self, request: HttpRequest) -> HttpResponseRedirect | HttpResponseNotAllowed:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            outcome = services.layer_train_by(user=request.user)
        except PermissionDenied:
            self.message_user(request, _("Only publishers may retrain the scoring layer."), messages.ERROR)
        else:
            level = messages.SUCCESS if outcome.status == "switched" else messages.WARNING
            self.message_user(request, outcome.message, level)
        return HttpResponseRedirect(reverse("admin:claims_scorerlayer_changelist"))
