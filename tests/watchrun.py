"""What the feed-polling scale tests and ``benchmarks/watching.py`` share: watched sources made
from a ``tests.feedserver.FeedServer`` and the counts that say whether every entry was polled,
fetched and extracted exactly once. Needs Django set up (any database)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from tests.feedserver import FeedServer


def sources_create(site: FeedServer, *, poll_minutes: int = 24 * 60, enabled: bool = True,
                   faults: tuple[str, ...] = ()) -> list:
    """One enabled source per feed of ``site`` (and per named fault), due now. A day between
    polls, so that within a test each feed is polled once unless the test makes it due."""
    from claims.models import WatchedSource

    now = timezone.now()
    rows = [WatchedSource(name=feed.name, url=feed.url, kind=feed.kind, language=feed.language,
                          poll_minutes=poll_minutes, enabled=enabled, next_poll_at=now)
            for feed in site.feeds()]
    rows += [WatchedSource(name=f"Fault: {name}", url=site.fault_url(name), kind="feed",
                           poll_minutes=poll_minutes, enabled=enabled, next_poll_at=now)
             for name in faults]
    return WatchedSource.objects.bulk_create(rows, batch_size=1000)


@dataclass
class Tally:
    sources: int = 0
    sources_polled: int = 0
    entries: int = 0
    entry_states: Counter = field(default_factory=Counter)
    articles: int = 0
    articles_with_text: int = 0
    jobs: int = 0
    job_states: Counter = field(default_factory=Counter)
    jobs_retaken: int = 0  # claimed more than once (a worker died on them)
    articles_with_two_jobs: int = 0
    claims: int = 0
    first_job_started: object = None
    last_job_finished: object = None

    @property
    def jobs_finished(self) -> int:
        return self.job_states["succeeded"] + self.job_states["failed"]

    def line(self) -> str:
        return (f"{self.sources_polled}/{self.sources} sources polled, {self.entries} entries "
                f"{dict(self.entry_states)}, {self.articles} articles, jobs {dict(self.job_states)}, "
                f"{self.claims} claims")


def tally(sources=None) -> Tally:  # noqa: ANN001 - a WatchedSource queryset, or all of them
    """Counts over ``sources`` (default: every watched source) and what came from them."""
    from claims.models import Article, Claim, ExtractionJob, WatchedEntry, WatchedSource

    if sources is None:
        sources = WatchedSource.objects.all()
    entries = WatchedEntry.objects.filter(source__in=sources)
    articles = Article.objects.filter(watched_source__in=sources)
    jobs = ExtractionJob.objects.filter(article__in=articles)
    times = jobs.aggregate(first=Min("started_at"), last=Max("finished_at"))
    return Tally(
        sources=sources.count(),
        sources_polled=sources.filter(last_polled_at__isnull=False).count(),
        entries=entries.count(),
        entry_states=Counter(dict(entries.values_list("state").annotate(n=Count("id")).values_list("state", "n"))),
        articles=articles.count(),
        articles_with_text=articles.exclude(body="").count(),
        jobs=jobs.count(),
        job_states=Counter(dict(jobs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))),
        jobs_retaken=jobs.filter(attempts__gt=1).count(),
        articles_with_two_jobs=articles.annotate(n=Count("jobs")).filter(n__gt=1).count(),
        claims=Claim.objects.filter(article__in=articles).count(),
        first_job_started=times["first"],
        last_job_finished=times["last"],
    )


def claims_per_article() -> float:
    from claims.models import Article

    found = Article.objects.filter(watched_source__isnull=False).aggregate(
        n=Count("id"), claims=Sum("jobs__claims_found", filter=Q(jobs__status="succeeded")))
    return (found["claims"] or 0) / found["n"] if found["n"] else 0.0


def exactly_once_problems(site: FeedServer, counts: Tally, *, expected_articles: int | None = None,
                          retakes_allowed: bool = False, feeds_once: bool = True) -> list[str]:
    """Why the site's feeds and pages were not each polled / fetched / extracted exactly
    once: empty when they were."""
    expected = site.feed_count * site.entry_count if expected_articles is None else expected_articles
    hits = site.counts()
    problems = []
    pages = [hits[path] for path in site.page_paths()]
    if pages.count(1) != len(pages):
        problems.append(f"pages fetched: {Counter(pages)} (times fetched: number of pages), not all once")
    feeds_ok = [site.statuses_for(site.feed_path(i), 200) for i in range(site.feed_count)]
    if feeds_once and feeds_ok.count(1) != len(feeds_ok):
        problems.append(f"feeds read in full: {Counter(feeds_ok)} (times: number of feeds), not all once")
    if counts.entries != expected:
        problems.append(f"{counts.entries} watched entries, not {expected}")
    if counts.articles != expected:
        problems.append(f"{counts.articles} articles, not {expected}")
    if counts.articles_with_text != expected:
        problems.append(f"{counts.articles_with_text} articles with their text, not {expected}")
    if counts.job_states["succeeded"] != expected or counts.jobs != expected:
        problems.append(f"jobs {dict(counts.job_states)} ({counts.jobs} in all), not {expected} succeeded")
    if counts.jobs_retaken and not retakes_allowed:
        problems.append(f"{counts.jobs_retaken} jobs were claimed more than once")
    if counts.articles_with_two_jobs:
        problems.append(f"{counts.articles_with_two_jobs} articles have more than one job")
    return problems
