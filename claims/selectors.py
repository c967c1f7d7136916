"""Every non-trivial read."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from .choices import JOB_WAITING, ClaimOrigin, ClaimStatus, JobStatus, SpeakerKind, dismiss_reason_stored
from .models import (
    Article,
    Claim,
    ClaimNote,
    DeskProfile,
    ExtractionJob,
    Notice,
    ScorerLayer,
    Source,
    Topic,
    Verdict,
    WebhookDelivery,
)


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
            has_notes=Exists(ClaimNote.objects.filter(claim=OuterRef("pk"))),
        )
        .prefetch_related("topics")
    )


def claim_is_worked(claim: Claim) -> bool:
    """True once an editor has done anything with the claim: then extraction leaves it be.
    A reader's tip is the reader's words, never the extractor's: always left be."""
    return bool(
        claim.origin == ClaimOrigin.TIP
        or claim.status != ClaimStatus.NEW
        or claim.assignee_id
        or claim.duplicate_of_id
        or claim.has_sources
        or claim.has_verdict
        or claim.has_notes
        or claim.edited_at
    )


def claims_untouched(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims of ``queryset`` nobody has worked on: ``claim_is_worked`` said in SQL,
    so that a write can re-check it in the same statement. (A reader's tip is never one.)"""
    return queryset.filter(
        ~Exists(Source.objects.filter(claim=OuterRef("pk"))),
        ~Exists(Verdict.objects.filter(claim=OuterRef("pk"))),
        ~Exists(ClaimNote.objects.filter(claim=OuterRef("pk"))),
        status=ClaimStatus.NEW, assignee__isnull=True, duplicate_of__isnull=True, edited_at__isnull=True,
        origin=ClaimOrigin.EXTRACTED,
    )


OPEN_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)


def review_queue(*, queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims waiting for work: best score first, then the oldest."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=OPEN_STATUSES).order_by("-score", "created_at", "id")


# Ordering only, never stored: among an article's claims above the cut, a claim someone is
# reported to have made (a speaker or role the article names, not an unnamed group) ranks
# before the reporter's own narration scoring up to this much more.
ATTRIBUTED_BONUS = 0.1


def is_attributed() -> Q:
    """A claim the article puts in a named party's mouth (a person, an official's role, an
    organisation or its spokesperson), not "analysts say" nor the reporter's narration."""
    return (~Q(speaker="") | ~Q(speaker_role="")) & ~Q(speaker_kind=SpeakerKind.GROUP)


def queue_rank():
    """The key an article's claims are ranked by in the queue: the score, plus
    ``ATTRIBUTED_BONUS`` for an attributed claim."""
    bonus = Case(When(is_attributed(), then=Value(ATTRIBUTED_BONUS)), default=Value(0.0),
                 output_field=FloatField())
    return ExpressionWrapper(F("score") + bonus, output_field=FloatField())


# A claim repeated in other articles ranks higher in the queue: this much per other
# article it appeared in, for up to three.
STORY_BONUS = 0.03


def with_story(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Each claim with its story's spread (claims.services.matching clusters claims matched
    to each other): ``fc_story_articles`` and ``fc_story_outlets`` (None alone), and
    ``fc_story_since`` (its first appearance); ``fc_rank`` is the score with
    ``STORY_BONUS`` per other article."""
    from django.db.models import Min, OuterRef, Subquery
    from django.db.models.functions import Coalesce, Least

    story = Claim.objects.filter(cluster=OuterRef("cluster")).order_by().values("cluster")
    spread = queryset.annotate(
        fc_story_articles=Subquery(story.annotate(n=Count("article", distinct=True)).values("n")[:1]),
        fc_story_outlets=Subquery(story.annotate(n=Count("article__outlet", distinct=True)).values("n")[:1]),
        fc_story_since=Subquery(story.annotate(
            first=Min(Coalesce("article__published_at", "created_at"))).values("first")[:1]),
    )
    others = Least(Coalesce(F("fc_story_articles"), Value(1)) - Value(1), Value(3))
    return spread.annotate(fc_rank=ExpressionWrapper(F("score") + others * Value(STORY_BONUS), output_field=FloatField()))


def story_grouped(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """One claim per story (its best), and every claim that belongs to none."""
    from django.db.models.functions import Coalesce

    return queryset.annotate(fc_story_place=Window(
        RowNumber(), partition_by=[Coalesce(F("cluster"), F("id"))], order_by=[F("score").desc(), F("id").asc()],
    )).filter(fc_story_place=1)


def story_members(*, claim: Claim) -> QuerySet[Claim]:
    """Where else a claim appeared: the other claims of its story, first seen first."""
    if claim.cluster is None:
        return Claim.objects.none()
    return (Claim.objects.filter(cluster=claim.cluster).exclude(pk=claim.pk).select_related("article")
            .order_by("article__published_at", "created_at", "id"))


def review_queue_folded(*, queryset: QuerySet[Claim], cut: float, per_article: int) -> QuerySet[Claim]:
    """Of ``queryset``, each article's best ``per_article`` claims scoring at least ``cut``.

    One query: window functions over each article's rows of ``queryset`` number them (those
    above the cut first, then by ``queue_rank``) and count them. Each claim carries
    ``fc_article_open`` (the article's claims in ``queryset``) and ``fc_article_above``
    (those of them at or above the cut); the article shows min(``per_article``,
    ``fc_article_above``) of its ``fc_article_open`` and folds the rest. A reader's tip
    counts as above the cut: a reader asked, so it is never folded away.
    """
    article = [F("article_id")]
    above = Case(When(Q(score__gte=cut) | Q(origin=ClaimOrigin.TIP), then=Value(1)), default=Value(0),
                 output_field=IntegerField())
    return (
        queryset.annotate(fc_above=above)
        .annotate(
            fc_place=Window(RowNumber(), partition_by=article, order_by=[
                F("fc_above").desc(), queue_rank().desc(), F("created_at").asc(), F("id").asc()]),
            fc_article_open=Window(Count("id"), partition_by=article),
            fc_article_above=Window(Sum("fc_above"), partition_by=article),
        )
        # Those above the cut come first in an article's numbering, so "numbered no later
        # than the count above the cut" keeps exactly them; a plain filter on the score would
        # take the claims below the cut out of the counts as well.
        .filter(fc_place__lte=per_article)
        .filter(fc_place__lte=F("fc_article_above"))
    )


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
        ).filter(waiting__gt=0).order_by("-waiting", "name").values("name", "name_id", "slug", "waiting")
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
        "scorer_layer": ScorerLayer.objects.filter(active=True).first(),
    }


def published_claims() -> QuerySet[Claim]:
    """Published fact-checks, newest first, with what pages, feeds and the API show.

    This is the only door to claims for anything public: it never lets an unpublished
    claim or verdict through.
    """
    from django.db.models import Prefetch

    from .models import Correction, VerdictTranslation

    return (
        Claim.objects.filter(status=ClaimStatus.PUBLISHED, verdict__published_at__isnull=False)
        .select_related("article", "verdict", "verdict__rating")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("verdict__corrections",
                     queryset=Correction.objects.select_related("previous_rating", "new_rating")),
            # Translations are public with their verdict, and only once published themselves.
            Prefetch("verdict__translations",
                     queryset=VerdictTranslation.objects.filter(published_at__isnull=False)),
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


def related_published_claims(*, claim: Claim, limit: int = 5, found: list | None = None) -> list[Claim]:
    """Published fact-checks of the same claim, closest first (the multilingual vectors and
    the words: claims.matching; ``found`` is its search for the claim, if made already),
    then on the same topics or naming the same entities. One query (and its prefetches)
    however many there are."""
    from django.db.models import Q

    from .matching import FACTCHECKS

    found = FACTCHECKS.search(claim.text, k=limit + 1) if found is None else found
    close = [pk for (kind, pk), hit in found
             if kind == "claim" and pk != claim.pk and hit.score >= settings.FACTCHECK_MATCH_THRESHOLD]
    related = Q(pk__in=close) | Q(pk__in=Claim.topics.through.objects.filter(
        topic_id__in=[t.pk for t in claim.topics.all()]).values("claim_id"))
    for name in [n.strip() for n in claim.entity_names.split(";") if n.strip()][:5]:
        related |= Q(entity_names__icontains=name)
    found = list(published_claims().filter(related).exclude(pk=claim.pk)[:limit + len(close)])
    rank = {pk: i for i, pk in enumerate(close)}
    found.sort(key=lambda c: rank.get(c.pk, len(rank)))  # stable: the rest stay newest first
    return found[:limit]


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


# What the partner API shows of a published fact-check, as columns of one query: the
# article's body, the claim's context and the search vector stay in the database.
FACT_CHECK_COLUMNS = (
    "id", "text", "speaker", "speaker_role", "speaker_kind", "attribution", "hedge", "language", "claim_type",
    "entity_names", "published_at", "claimed_on",
    "article__title", "article__outlet", "article__url", "article__published_at", "article__language",
    "verdict__id", "verdict__headline", "verdict__summary", "verdict__rationale",
    "verdict__updated_at", "verdict__language", "verdict__rating__value",
    "verdict__rating__best", "verdict__rating__worst", "verdict__rating__colour",
    *(f"verdict__rating__label_{code}" for code, _name in settings.LANGUAGES),
)
SOURCE_COLUMNS = ("url", "title", "publisher", "quote", "stance", "archived_url")


def _fact_check_related() -> dict:
    """On PostgreSQL, a row's topics, sources and corrections as arrays in the row's own
    query: one round trip for a page instead of four.

    Written as SQL, not ``ArraySubquery``: Django compiles subqueries anew for every
    request, and three of them were a fifth of an uncached page's Python. They read the
    outer query's ``claims_claim`` and ``claims_verdict``, which every published claim
    joins (``published_claims()`` filters on the verdict).
    """
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import JSONField, TextField
    from django.db.models.expressions import RawSQL

    from .models import Correction, Rating, VerdictTranslation

    claim, verdict, topic, link, source, correction, rating, translation = (
        model._meta.db_table for model in (Claim, Verdict, Topic, Claim.topics.through, Source, Correction, Rating,
                                           VerdictTranslation)
    )
    source_row = ", ".join(f"s.{name}::text" for name in SOURCE_COLUMNS)
    # Only the models' own table and column names go into this SQL, never a request's input.
    topics = (f"ARRAY(SELECT t.slug FROM {topic} t JOIN {link} l ON l.topic_id = t.id"  # noqa: S608
              f" WHERE l.claim_id = {claim}.id ORDER BY t.name, t.id)")
    # Each source as an array of its text columns: cheaper to decode than JSON objects.
    sources = (f"ARRAY(SELECT ARRAY[{source_row}] FROM {source} s"  # noqa: S608
               f" WHERE s.claim_id = {claim}.id ORDER BY s.created_at, s.id)")
    # JSON carries the time in ISO 8601 whatever the server's DateStyle.
    labels = "".join(f" 'previous_rating__label_{code}', r.label_{code}, 'new_rating__label_{code}', n.label_{code},"
                     for code, _name in settings.LANGUAGES)
    corrections = ("ARRAY(SELECT jsonb_build_object('note', c.note, 'changed', c.changed,"  # noqa: S608
                   f"{labels}"
                   " 'previous_headline', c.previous_headline, 'new_headline', c.new_headline,"
                   f" 'created_at', c.created_at) FROM {correction} c"
                   f" JOIN {rating} r ON r.id = c.previous_rating_id"
                   f" LEFT JOIN {rating} n ON n.id = c.new_rating_id"
                   f" WHERE c.verdict_id = {verdict}.id ORDER BY c.created_at, c.id)")
    translations = ("ARRAY(SELECT jsonb_build_object('language', t.language, 'headline', t.headline,"  # noqa: S608
                    " 'summary', t.summary, 'rationale', t.rationale, 'published_at', t.published_at)"
                    f" FROM {translation} t WHERE t.verdict_id = {verdict}.id AND t.published_at IS NOT NULL"
                    " ORDER BY t.language, t.id)")
    return {
        "translations_array": RawSQL(translations, (), output_field=ArrayField(JSONField())),  # noqa: S611
        "topics_array": RawSQL(topics, (), output_field=ArrayField(TextField())),  # noqa: S611
        "sources_array": RawSQL(sources, (), output_field=ArrayField(ArrayField(TextField()))),  # noqa: S611
        "corrections_array": RawSQL(corrections, (), output_field=ArrayField(JSONField())),  # noqa: S611
    }


def published_fact_check_rows() -> QuerySet[dict]:
    """``published_claims()`` as plain rows of ``FACT_CHECK_COLUMNS``, newest first.

    ``published_at`` is the verdict's publication, by which the API orders and pages. Rows
    cost a fraction of model instances with their prefetches; a page of them is finished
    by ``fact_check_rows_complete``.
    """
    from django.db import connection
    from django.db.models import F

    related = _fact_check_related() if connection.vendor == "postgresql" else {}
    return (
        published_claims().prefetch_related(None)
        .annotate(published_at=F("verdict__published_at"))
        .values(*FACT_CHECK_COLUMNS, **related)
    )


def fact_check_rows_complete(rows: list[dict]) -> list[dict]:
    """Give rows of ``published_fact_check_rows`` their ``topics`` (slugs by name),
    ``sources`` and ``corrections`` (dicts, oldest first) and ``translations`` (published
    ones, dicts by language), in a constant number of queries: none on PostgreSQL, where
    the rows carry them; four elsewhere."""
    from datetime import datetime

    from .models import Correction, VerdictTranslation

    if not rows or "topics_array" in rows[0]:
        for row in rows:
            row["translations"] = row.pop("translations_array")
            for translation in row["translations"]:
                translation["published_at"] = datetime.fromisoformat(translation["published_at"])
            row["topics"] = row.pop("topics_array")
            row["sources"] = [dict(zip(SOURCE_COLUMNS, source, strict=True)) for source in row.pop("sources_array")]
            row["corrections"] = row.pop("corrections_array")
            for correction in row["corrections"]:
                correction["created_at"] = datetime.fromisoformat(correction["created_at"])
        return rows
    by_claim = {row["id"]: row for row in rows}
    by_verdict = {row["verdict__id"]: row for row in rows}
    for row in rows:
        row["topics"], row["sources"], row["corrections"], row["translations"] = [], [], [], []
    links = (Claim.topics.through.objects.filter(claim_id__in=by_claim)
             .order_by("topic__name", "topic_id").values_list("claim_id", "topic__slug"))
    for claim_id, slug in links:
        by_claim[claim_id]["topics"].append(slug)
    sources = (Source.objects.filter(claim_id__in=by_claim).order_by("created_at", "id")
               .values("claim_id", *SOURCE_COLUMNS))
    for source in sources:
        by_claim[source.pop("claim_id")]["sources"].append(source)
    corrections = (Correction.objects.filter(verdict_id__in=by_verdict).order_by("created_at", "id")
                   .values("verdict_id", "note", "changed", "previous_headline", "new_headline", "created_at",
                           *(f"{which}_rating__label_{code}" for code, _name in settings.LANGUAGES
                             for which in ("previous", "new"))))
    for correction in corrections:
        by_verdict[correction.pop("verdict_id")]["corrections"].append(correction)
    translations = (VerdictTranslation.objects.filter(verdict_id__in=by_verdict, published_at__isnull=False)
                    .order_by("language", "id")
                    .values("verdict_id", "language", "headline", "summary", "rationale", "published_at"))
    for translation in translations:
        by_verdict[translation.pop("verdict_id")]["translations"].append(translation)
    return rows


DESK_GROUPS = ("Editors", "Publishers")


def desk_members() -> QuerySet:
    """Whom a claim may be given to: active members of the Editors or Publishers groups."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(is_active=True, groups__name__in=DESK_GROUPS)
        .distinct().order_by("username")
    )


def language_or_site(language: str | None) -> str:
    """``language`` if the site speaks it, else the site's (LANGUAGE_CODE)."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def user_language_chosen(*, user) -> str:  # noqa: ANN001
    """The language this person chose for themself (their DeskProfile), or "" if none the
    site speaks."""
    chosen = DeskProfile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return chosen if chosen in dict(settings.LANGUAGES) else ""


def user_language(*, user) -> str:  # noqa: ANN001
    """The language the product writes to this person in: theirs, else the site's."""
    return user_language_chosen(user=user) or settings.LANGUAGE_CODE


def notices_unread_count(*, user) -> int:  # noqa: ANN001
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notices_recent(*, user, limit: int = 50) -> list[Notice]:  # noqa: ANN001
    """A user's latest notices, unread first, with what a list of them shows."""
    return list(
        Notice.objects.filter(recipient=user)
        .select_related("actor", "claim")
        .only("kind", "created_at", "read_at", "actor__username", "claim__id", "claim__text")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")[:limit]
    )


def claim_notes(*, claim: Claim) -> list[ClaimNote]:
    return list(ClaimNote.objects.filter(claim=claim).select_related("author"))


def digest_claims(*, since: datetime, until: datetime, topic: Topic | None = None, limit: int = 10) -> list[Claim]:
    """The morning list: what the queue puts on top of the claims found between ``since``
    and ``until`` (on one topic, or all): open claims, each article's best
    FACTCHECK_QUEUE_PER_ARTICLE above FACTCHECK_QUEUE_CUT (the rest are folded in the
    queue, and left off here), best score first, each with its article. One query; load
    the claims' topics and matches with ``digest_prefetch``."""
    queryset = Claim.objects.filter(created_at__gte=since, created_at__lt=until)
    if topic is not None:
        queryset = queryset.filter(pk__in=Claim.topics.through.objects.filter(topic=topic).values("claim_id"))
    folded = review_queue_folded(queryset=review_queue(queryset=queryset), cut=settings.FACTCHECK_QUEUE_CUT,
                                 per_article=settings.FACTCHECK_QUEUE_PER_ARTICLE)
    return list(folded.select_related("article").order_by("-score", "created_at", "id")[:limit])


def digest_prefetch(claims: list[Claim]) -> list[Claim]:
    """Give claims of morning lists their topics and open matches: three queries however
    many claims and lists."""
    from django.db.models import Prefetch, prefetch_related_objects

    from . import matching

    prefetch_related_objects(
        claims, Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name", "name_id")),
        Prefetch("match_links", queryset=matching.links_open(), to_attr="open_links"))
    return claims


def digest_topics(*, since: datetime, until: datetime, slugs: list[str] | None = None) -> list[Topic]:
    """The topics that get a list of their own: those named (that exist), else every topic
    with an open claim found in the window."""
    if slugs:
        return list(Topic.objects.filter(slug__in=slugs).order_by("name"))
    found = Claim.topics.through.objects.filter(
        claim__created_at__gte=since, claim__created_at__lt=until, claim__status__in=OPEN_STATUSES)
    return list(Topic.objects.filter(pk__in=found.values("topic_id")).order_by("name"))


def digests_recent(*, limit: int = 30) -> list:
    """The morning lists sent lately, newest first."""
    from .models import Digest

    return list(Digest.objects.select_related("topic").order_by(
        "-day", F("topic__name").asc(nulls_first=True), "id")[:limit])
def watched_sources_with_counts(queryset: QuerySet, *, now: datetime) -> QuerySet:
    """Watched sources with what each brought lately: articles in the last day and week,
    claims and failed entries in the last week. One query however many sources (counts are
    subqueries, so the joins multiply nothing)."""
    from django.db.models import Subquery
    from django.db.models.functions import Coalesce

    from .models import WatchedEntry

    day, week = now - timedelta(days=1), now - timedelta(days=7)

    def counted(rows: QuerySet, key: str) -> Coalesce:
        per_source = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(per_source, output_field=IntegerField()), 0)

    articles = Article.objects.filter(watched_source=OuterRef("pk"))
    return queryset.annotate(
        n_articles_day=counted(articles.filter(created_at__gte=day), "watched_source"),
        n_articles_week=counted(articles.filter(created_at__gte=week), "watched_source"),
        n_claims_week=counted(
            Claim.objects.filter(article__watched_source=OuterRef("pk"), created_at__gte=week), "article__watched_source"),
        n_errors_week=counted(
            WatchedEntry.objects.filter(source=OuterRef("pk"), state=WatchedEntry.State.FAILED, updated_at__gte=week),
            "source"),
    )


def watched_source_per_day(*, source_id: int, days: int = 30, now: datetime | None = None) -> list[dict]:
    """Articles found in a watched source and claims found in them, per day (the desk's time
    zone) for the last ``days`` days, oldest first, days with none included."""
    from datetime import time

    from django.db.models.functions import TruncDate

    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))

    def per_day(rows: QuerySet) -> dict:
        return dict(rows.filter(created_at__gte=since).annotate(day=TruncDate("created_at"))
                    .order_by().values("day").annotate(n=Count("pk")).values_list("day", "n"))

    articles = per_day(Article.objects.filter(watched_source_id=source_id))
    claims = per_day(Claim.objects.filter(article__watched_source_id=source_id))
    dates = [first + timedelta(days=i) for i in range(days)]
    return [{"day": d, "articles": articles.get(d, 0), "claims": claims.get(d, 0)} for d in dates]
TIP_TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,64}"  # noqa: S105 - the shape of a token, not one


def tip_by_token(*, token: str):  # noqa: ANN201 - Tip | None
    """The tip a private link's token opens, found by the token's hash; None if none does."""
    import hashlib
    import re

    from .models import Tip

    if not re.fullmatch(TIP_TOKEN_PATTERN, token or ""):
        return None
    return Tip.objects.filter(token_hash=hashlib.sha256(token.encode()).hexdigest()).first()


class TipProgress:
    """Where a reader's tip stands, in what the reader may know: a state, and the public
    fact-check that answers it (ours, or another publisher's), never the desk's workings.

    ``state`` is one of received, checking, published, already_checked, closed.
    """

    def __init__(self, state: str, fact_check: Claim | None = None, elsewhere=None) -> None:  # noqa: ANN001
        self.state = state
        self.fact_check = fact_check  # our published claim (its verdict loaded), or None
        self.elsewhere = elsewhere  # another publisher's FactCheck, or None


def tip_progress(*, tip) -> TipProgress:  # noqa: ANN001
    """What the reader's private page says about ``tip``."""
    from .choices import LinkState
    from .models import MatchLink

    claim = Claim.objects.filter(pk=tip.claim_id).only("id", "status", "duplicate_of_id", "dismiss_reason").first()
    if claim is None or claim.status == ClaimStatus.NEW:
        return TipProgress("received")
    if claim.status in (ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED):
        return TipProgress("checking")
    if claim.status == ClaimStatus.PUBLISHED:
        published = published_claims().filter(pk=claim.pk).first()
        return TipProgress("published", published) if published else TipProgress("checking")
    if claim.status == ClaimStatus.DUPLICATE and claim.duplicate_of_id:
        original = published_claims().filter(pk=claim.duplicate_of_id).first()
        if original is not None:
            return TipProgress("published", original)
        original_status = Claim.objects.filter(pk=claim.duplicate_of_id).values_list("status", flat=True).first()
        return TipProgress("checking" if original_status in OPEN_STATUSES else "closed")
    confirmed = (MatchLink.objects.filter(claim=claim, state=LinkState.CONFIRMED, factcheck__isnull=False)
                 .select_related("factcheck").first())
    if confirmed is not None:
        return TipProgress("already_checked", elsewhere=confirmed.factcheck)
    if claim.dismiss_reason == dismiss_reason_stored("already_checked"):
        return TipProgress("already_checked")
    return TipProgress("closed")
