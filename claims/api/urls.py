from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("jobs", views.JobViewSet, basename="job")
router.register("matches", views.MatchViewSet, basename="match")


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Anything under /api/v1/ that matches no endpoint gets the API's own error shape."""
    return JsonResponse({"error": {"status": 404, "code": "not_found", "message": "No such endpoint."}},
                        status=404)


urlpatterns = [*router.urls, re_path(r"^(?P<path>[\s\S]*)$", not_found)]
