from django.urls import path

from . import feeds, views
from .public_cache import cached_public_page

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<int:pk>/", views.claim_detail_short, name="detail-short"),
    path("claims/<int:pk>/<str:slug>/", views.claim_detail, name="detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/rss/", cached_public_page(feeds.TopicFactChecksFeed()), name="topic-rss"),
    path("topics/<slug:slug>/atom/", cached_public_page(feeds.TopicFactChecksAtomFeed()), name="topic-atom"),
    path("feeds/rss/", cached_public_page(feeds.LatestFactChecksFeed()), name="feed-rss"),
    path("feeds/atom/", cached_public_page(feeds.LatestFactChecksAtomFeed()), name="feed-atom"),
    path("about/", views.about, name="about"),
    path("tips/", views.tip_new, name="tip-new"),
    path("tips/<str:token>/", views.tip_status, name="tip"),
    path("language/<str:code>/", views.language_switch, name="language"),
]
