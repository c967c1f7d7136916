"""People: the User admin shows each person's desk language (theirs to change, or a
superuser's), and *Your language* lets anyone on the desk set their own."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..desk_language import language_cookie_set
from ..models import DeskProfile

User = get_user_model()


def own_or_superuser(request: HttpRequest, user) -> bool:  # noqa: ANN001
    return request.user.is_superuser or (user is not None and user.pk == request.user.pk)


class DeskProfileInline(admin.StackedInline):
    """Whoever may open a person's page sees their language; only they or a superuser change it."""

    model = DeskProfile
    fields = ("language",)
    can_delete = False
    max_num = 1
    verbose_name_plural = gettext_lazy("desk profile")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return own_or_superuser(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return own_or_superuser(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False,
                                 help_text=DeskProfile._meta.get_field("language").help_text)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        site = dict(settings.LANGUAGES).get(settings.LANGUAGE_CODE, settings.LANGUAGE_CODE)
        self.fields["language"].choices = [("", _("The site's (%(language)s)") % {"language": site}),
                                           *settings.LANGUAGES]


admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, DeskProfileInline]

    def get_urls(self):
        return [path("language/", self.admin_site.admin_view(self.language_view), name="auth_user_language"),
                *super().get_urls()]

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:  # noqa: ANN001
        if formset.model is not DeskProfile:
            return super().save_formset(request, form, formset, change)
        # What formset.save() would note, for the user's history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for profile_form in formset.forms:  # only shown to others: never changed then
            if profile_form.has_changed() and profile_form.is_valid():
                adding = profile_form.instance.pk is None
                profile = services.user_language_set(user=form.instance, by=request.user,
                                                     language=profile_form.cleaned_data["language"])
                if adding:
                    formset.new_objects.append(profile)
                else:
                    formset.changed_objects.append((profile, ["language"]))
        return None

    def language_view(self, request: HttpRequest) -> HttpResponse:
        """*Your language*: anyone on the desk sets their own, and the desk switches to it."""
        form = LanguageForm(request.POST or None,
                            initial={"language": DeskProfile.objects.filter(user_id=request.user.pk)
                                     .values_list("language", flat=True).first() or ""})
        if request.method == "POST" and form.is_valid():
            language = form.cleaned_data["language"]
            services.user_language_set(user=request.user, language=language)
            self.message_user(request, _("Your language is saved."), messages.SUCCESS)
            response = HttpResponseRedirect(reverse("admin:auth_user_language"))
            language_cookie_set(response, language or settings.LANGUAGE_CODE)
            return response
        context = {**self.admin_site.each_context(request), "title": _("Your language"), "form": form}
        return TemplateResponse(request, "admin/auth/user/language.html", context)
