from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from claims.desk_language import language_set
from claims.public_cache import cached_public_page
from claims.sitemaps import SITEMAPS
from claims.views import favicon, robots_txt

admin.site.site_header = _("Fact-check desk")
admin.site.site_title = _("Fact-check desk")

# The API reference pages load everything from this site (drf-spectacular-sidecar); Redoc's
# bundle would still fetch its logo from its own CDN, and the browser is told not to.
SAME_ORIGIN_ONLY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; font-src 'self' data:"
)


def same_origin_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = SAME_ORIGIN_ONLY
        return response

    return wrapped


urlpatterns = [
    path("admin/", admin.site.urls),
    # The desk's language switch also stores a logged-in person's choice (claims/desk_language.py).
    path("i18n/setlang/", language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("api/docs/", same_origin_only(SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[AllowAny])),
         name="api-docs"),
    path("api/redoc/", same_origin_only(SpectacularRedocView.as_view(url_name="schema", permission_classes=[AllowAny])),
         name="api-redoc"),
    path("sitemap.xml", cached_public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("claims.urls")),
]
handler404 = "claims.views.page_not_found"
handler500 = "claims.api.errors.server_error"
