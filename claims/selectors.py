"""Every non-trivial read."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .choices import JOB_WAITING, ClaimStatus, JobStatus
from .models import Article, Claim, ExtractionJob, Source, Topic, Verdict, WebhookDelivery


def topic_keywords() -> dict[str, dict[str, list[str]]]:
    """The topics as the extractor takes them: slug -> language -> keywords."""
    return {slug: keywords or {} for slug, keywords in Topic.objects.values_list("slug", "keywords")}


def claims_for_store(*, article: Article) -> QuerySet[Claim]:
    """An article's claims with what tells whether an editor has worked on them."""
    return (
        Claim.objects.filter(article=article)
        .annotate(
            has_sources=Exists(Source.objects.filter(claim=OuterRef("pk"))),
            has_verdict=Exists(Verdict.objects.filter(claim=OuterRef("pk"))),
        )
        .prefetch_related("topics")
    )


def claim_is_worked(claim: Claim) -> bool:
    """True once an editor has done anything with the claim: then extraction leaves it be."""
    return bool(
        claim.status != ClaimStatus.NEW
        or claim.assignee_id
        or claim.duplicate_of_id
        or claim.has_sources
        or claim.has_verdict
    )


OPEN_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)


def review_queue(*, queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims waiting for work: best score first, then the oldest."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=OPEN_STATUSES).order_by("-score", "created_at", "id")


def dashboard_stats(*, weeks: int = 8) -> dict:
    """What the desk's front page shows: where the work is and how it is going."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.db.models.functions import TruncWeek
    from django.utils import timezone

    from .choices import JobStatus
    from .models import ExtractionJob

    by_status = dict(Claim.objects.values_list("status").annotate(n=Count("id")))
    waiting_per_topic = list(
        Topic.objects.annotate(
            waiting=Count("claims", filter=Q(claims__status__in=OPEN_STATUSES))
        ).filter(waiting__gt=0).order_by("-waiting", "name").values("name", "slug", "waiting")
    )
    oldest = (
        Claim.objects.filter(status=ClaimStatus.NEW).select_related("article")
        .order_by("created_at", "id").first()
    )
    since = timezone.now() - timedelta(weeks=weeks)
    published = dict(
        Verdict.objects.filter(published_at__gte=since)
        .annotate(week=TruncWeek("published_at")).values_list("week")
        .annotate(n=Count("id")).values_list("week", "n")
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    per_week = []
    for i in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=i)
        n = sum(v for k, v in published.items() if k and timezone.localdate(k) == start)
        per_week.append({"week": start, "count": n})
    peak = max([w["count"] for w in per_week] + [1])
    for week in per_week:
        week["percent"] = round(100 * week["count"] / peak)
    return {
        "by_status": [
            {"status": s, "label": s.label, "count": by_status.get(s.value, 0)} for s in ClaimStatus
        ],
        "waiting_per_topic": waiting_per_topic,
        "oldest_unreviewed": oldest,
        "failed_jobs": ExtractionJob.objects.filter(status=JobStatus.FAILED).count(),
        "published_per_week": per_week,
    }


def published_claims() -> QuerySet[Claim]:
    """Published fact-checks, newest first, with what pages, feeds and the API show.

    This is the only door to claims for anything public: it never lets an unpublished
    claim or verdict through.
    """
    from django.db.models import Prefetch

    from .models import Correction

    return (
        Claim.objects.filter(status=ClaimStatus.PUBLISHED, verdict__published_at__isnull=False)
        .select_related("article", "verdict", "verdict__rating")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("verdict__corrections", queryset=Correction.objects.select_related("previous_rating")),
        )
        .order_by("-verdict__published_at", "-id")
    )


def published_topics() -> list[Topic]:
    """Topics with published fact-checks, each with ``published_count`` (published ones only)."""
    from django.db.models import Count

    counts = dict(
        published_claims().order_by().filter(topics__isnull=False)
        .values_list("topics").annotate(n=Count("id", distinct=True))
    )
    topics = list(Topic.objects.filter(pk__in=counts))
    for topic in topics:
        topic.published_count = counts[topic.pk]
    return topics


def related_published_claims(*, claim: Claim, limit: int = 5) -> QuerySet[Claim]:
    """Published fact-checks on the same topics as a claim or naming the same entities."""
    from django.db.models import Q

    related = Q(pk__in=Claim.topics.through.objects.filter(
        topic_id__in=[t.pk for t in claim.topics.all()]).values("claim_id"))
    for name in [n.strip() for n in claim.entity_names.split(";") if n.strip()][:5]:
        related |= Q(entity_names__icontains=name)
    return published_claims().filter(related).exclude(pk=claim.pk)[:limit]


# --- Jobs and deliveries waiting for the broker -------------------------------------------


def jobs_stuck(*, now: datetime) -> Q:
    """Jobs waiting longer than they should: due to be sent (again), or running past their
    lease (their worker died). Editors see these and may retry them."""
    stale = now - timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS)
    return Q(status__in=JOB_WAITING, due_at__lte=now) | Q(status=JobStatus.RUNNING, started_at__lt=stale)


def job_is_stuck(job: ExtractionJob) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS)
    return job.is_due or (
        job.status == JobStatus.RUNNING and job.started_at is not None and job.started_at < stale
    )


def jobs_due(*, now: datetime) -> QuerySet[ExtractionJob]:
    """Jobs the sweep sends again, longest waiting first."""
    return (ExtractionJob.objects.filter(status__in=JOB_WAITING, due_at__lte=now)
            .only("pk", "due_at", "sends").order_by("due_at", "pk"))


def deliveries_due(*, now: datetime) -> QuerySet[WebhookDelivery]:
    """Webhook deliveries the sweep sends again, longest waiting first."""
    return (WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, due_at__lte=now)
            .only("pk", "due_at", "sends", "attempts").order_by("due_at", "pk"))
