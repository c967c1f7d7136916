from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    JOB_WAITING,
    ClaimOrigin,
    ClaimStatus,
    ClaimType,
    JobStatus,
    LinkState,
    SpeakerKind,
    Stance,
)


def claim_slug(*, headline: str, text: str) -> str:
    """The words in a claim's public address: the verdict's headline, else the claim."""
    return slugify(headline or text)[:80] or "claim"


def text_shorten(text: str, limit: int) -> str:
    """A text cut at a word before ``limit`` characters, with an ellipsis; whole if it fits."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(",;:") + "…"


def history_user(instance=None, request=None, **kwargs):  # noqa: ANN001, ANN201
    """The signed-in staff member behind a change; API partners are not users."""
    from django.contrib.auth.models import AbstractBaseUser

    user = getattr(request, "user", None)
    return user if isinstance(user, AbstractBaseUser) else None


class Topic(models.Model):
    """A subject editors follow; extraction tags claims whose text has its keywords.

    ``keywords`` maps a language code to a list of words or phrases, e.g.
    ``{"id": ["amunisi", "peluru"], "en": ["ammunition"]}``.
    """

    slug = models.SlugField(verbose_name=_("slug"), unique=True)
    name = models.CharField(verbose_name=_("name"), max_length=120)
    name_id = models.CharField(_("name in Indonesian"), max_length=120, blank=True)
    keywords = models.JSONField(verbose_name=_("keywords"),
        default=dict,
        blank=True,
        help_text=_(
            'Words or phrases per language code, e.g. {"id": ["amunisi", "peluru"], "en": '
            '["ammunition"]}. A word written with a leading "~" ("~campaign") counts only when '
            "the article also has another of the topic's words."
        ),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language (the Indonesian one where there is one)."""
        return self.name_id if get_language() == "id" and self.name_id else self.name


class Partner(models.Model):
    """An organisation that reads our fact-checks or submits articles through the API."""

    name = models.CharField(verbose_name=_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(verbose_name=_("contact email"), blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(verbose_name=_("rate limit per minute"),
        default=120, help_text=_("Requests per minute for each of the partner's keys.")
    )
    # Extraction takes about 0.1 s per 1,000 characters on one core: these bound what one
    # partner can ask of the workers (a 200,000-character text is some 20 s of work).
    max_article_chars = models.PositiveIntegerField(verbose_name=_("max article chars"),
        default=200_000, validators=[MinValueValidator(1)],
        help_text=_("The longest article text the partner may submit, in characters."),
    )
    chars_per_minute = models.PositiveIntegerField(verbose_name=_("chars per minute"),
        default=500_000, validators=[MinValueValidator(1)],
        help_text=_(
            "Characters of new article text the partner may submit in a minute, over all its "
            "keys; beyond it the API answers 429 until the minute is over."
        ),
    )
    webhook_url = models.URLField(verbose_name=_("webhook url"), max_length=2000, blank=True)
    webhook_secret = models.CharField(verbose_name=_("webhook secret"),
        max_length=128, blank=True,
        help_text=_("Shared secret for the HMAC-SHA256 signature of webhook deliveries."),
    )
    is_active = models.BooleanField(verbose_name=_("active"), default=True)
    digest_webhook = models.BooleanField(verbose_name=_("morning list by webhook"),
        default=False,
        help_text=_("Send the morning list (digest.ready) to the webhook: the top claims of the last "
                    "24 hours from articles this partner submitted."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .outbound import OutboundError, url_check

        if self.webhook_url:
            try:
                url_check(self.webhook_url)
            except OutboundError as exc:
                raise ValidationError({"webhook_url": str(exc)}) from None
            if not self.webhook_secret:
                raise ValidationError({"webhook_secret": _("A webhook needs a secret to sign deliveries.")})


class ApiKey(models.Model):
    """A partner's key. Only its hash is stored: the key itself is shown once, at creation."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(verbose_name=_("name"), max_length=100, blank=True)
    prefix = models.CharField(verbose_name=_("prefix"), max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(verbose_name=_("hashed key"), max_length=64, editable=False)
    scopes = models.JSONField(verbose_name=_("scopes"), default=list, help_text=_('Any of "read" and "submit".'))
    expires_at = models.DateTimeField(verbose_name=_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.partner} {self.prefix}…"


class Article(models.Model):
    """A news article as submitted: its plain text is what claims point into."""

    title = models.CharField(verbose_name=_("title"), max_length=500, blank=True)
    body = models.TextField(verbose_name=_("body"), help_text=_("Plain text; claim spans are offsets into it."))
    html = models.TextField(verbose_name=_("HTML"), blank=True, help_text=_("The original HTML, when there was one."))
    url = models.URLField(verbose_name=_("url"), max_length=2000, blank=True)
    outlet = models.CharField(verbose_name=_("outlet"), max_length=200, blank=True)
    author = models.CharField(verbose_name=_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    language = models.CharField(verbose_name=_("language"), max_length=12, blank=True)
    content_hash = models.CharField(verbose_name=_("content hash"), max_length=64, unique=True, editable=False)
    source_name = models.CharField(verbose_name=_("source name"),
        max_length=300, blank=True, help_text=_("File name or channel it came in through.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="submitted_articles",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
        help_text=_("The partner whose submission created the article. Every partner that "
                    "submitted it, this one included, is in its submissions."),
    )
    watched_source = models.ForeignKey(
        "WatchedSource", verbose_name=_("watched source"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles", help_text=_("The watched feed or sitemap it was found in, if any."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_set"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:80]


class ArticleSubmission(models.Model):
    """One partner's submission of an article, as that partner described it.

    Articles are de-duplicated, so several partners can submit the same one: each gets a
    row here, and it is these rows, not ``Article.partner``, that decide which partners may
    follow the article and its jobs. A partner sees its own title, outlet, author, date and
    address for the article, never another partner's.
    """

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="submissions")
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="submissions")
    title = models.CharField(verbose_name=_("title"), max_length=500, blank=True)
    outlet = models.CharField(verbose_name=_("outlet"), max_length=200, blank=True)
    author = models.CharField(verbose_name=_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    url = models.URLField(verbose_name=_("url"), max_length=2000, blank=True, help_text=_("The address the partner submitted, if any."))
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), auto_now_add=True)

    # What a partner says about the article it sends; each partner sees its own.
    DESCRIBED_FIELDS = ("title", "outlet", "author", "published_at", "url")

    class Meta:
        verbose_name = _("article submission")
        verbose_name_plural = _("article submissions")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "article"], name="article_submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} submitted article {self.article_id}"


class ExtractionJob(models.Model):
    """One run of the extractor over an article; its state is what editors see."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=JobStatus, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    error = models.TextField(verbose_name=_("error"), blank=True)  # what partners read: never internal text
    error_detail = models.TextField(verbose_name=_("error detail"),
        blank=True, help_text=_("The technical detail of a failure, for the desk only (never shown to partners).")
    )
    extractor_version = models.CharField(verbose_name=_("extractor version"), max_length=40, blank=True)
    task_id = models.CharField(verbose_name=_("task id"), max_length=64, blank=True, editable=False)
    claims_found = models.PositiveIntegerField(verbose_name=_("claims found"), null=True, blank=True)
    fetch_url = models.URLField(verbose_name=_("fetch url"),
        max_length=2000, blank=True, help_text=_("Set when the article still has to be fetched.")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(verbose_name=_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration (ms)"), null=True, blank=True)
    # The row is the truth, a broker message only a nudge: a job still waiting (queued, or
    # running with a lease) at `due_at` is sent again by the sweep (services.sweep_due).
    due_at = models.DateTimeField(verbose_name=_("due at"), default=timezone.now)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True, help_text=_("Last handed to the workers' queue."))
    sends = models.PositiveIntegerField(verbose_name=_("sends"), default=0, help_text=_("Times handed to the workers' queue."))

    class Meta:
        verbose_name = _("extraction job")
        verbose_name_plural = _("extraction jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="job_status_created"),
            models.Index(fields=["status", "due_at"], name="job_status_due"),
        ]

    def __str__(self) -> str:
        return _("Job %(number)s (%(status)s)") % {"number": self.pk, "status": self.get_status_display()}

    @property
    def is_due(self) -> bool:
        """Still waiting for a worker when it should have had one: to be sent (again)."""
        return self.status in JOB_WAITING and self.due_at <= timezone.now()


class Claim(models.Model):
    """A checkable statement: an exact span of its article's body."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="claims")
    text = models.TextField(verbose_name=_("text"))
    start = models.PositiveIntegerField(verbose_name=_("start offset"))
    end = models.PositiveIntegerField(verbose_name=_("end offset"))
    context = models.TextField(verbose_name=_("context"), blank=True)
    speaker = models.CharField(verbose_name=_("speaker"), max_length=200, blank=True)
    speaker_role = models.CharField(verbose_name=_("speaker role"), max_length=300, blank=True)
    speaker_kind = models.CharField(verbose_name=_("speaker kind"), max_length=16, choices=SpeakerKind, blank=True, default=SpeakerKind.UNKNOWN)
    attribution = models.CharField(verbose_name=_("attribution"), max_length=200, blank=True)
    hedge = models.CharField(verbose_name=_("hedge"), max_length=100, blank=True)
    claim_type = models.CharField(verbose_name=_("claim type"), max_length=12, choices=ClaimType, default=ClaimType.OTHER)
    language = models.CharField(verbose_name=_("language"), max_length=12, blank=True)
    score = models.FloatField(verbose_name=_("score"), default=0.0)
    reasons = models.JSONField(verbose_name=_("reasons"), default=list, blank=True)
    # What the newsroom's layer reads (ScorerLayer): the rule features that fired, and the
    # shipped model's score before the layer (null: stored before the layer existed, when
    # ``score`` was the shipped score).
    features = models.JSONField(verbose_name=_("features"), default=list, blank=True, editable=False)
    shipped_score = models.FloatField(verbose_name=_("shipped score"), null=True, blank=True, editable=False)
    entities = models.JSONField(verbose_name=_("entities"), default=list, blank=True)
    entity_names = models.TextField(verbose_name=_("entity names"),
        blank=True, editable=False, help_text=_("Canonical entity names, for search.")
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="claims")
    # Filled when a verdict is published (PostgreSQL full-text search, GIN-indexed there).
    search_vector = SearchVectorField(null=True, editable=False)
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=ClaimStatus, default=ClaimStatus.NEW)
    # A reader's tip is one claim of its own (the whole tip), never extracted again or folded away.
    origin = models.CharField(verbose_name=_("origin"), max_length=12, choices=ClaimOrigin,
                              default=ClaimOrigin.EXTRACTED, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    dismiss_reason = models.CharField(verbose_name=_("dismiss reason"), max_length=200, blank=True)
    extractor_version = models.CharField(verbose_name=_("extractor version"), max_length=40, blank=True)
    vector = models.BinaryField(verbose_name=_("vector"),
        null=True, blank=True, editable=False,
        help_text=_("The multilingual encoder's vector of the claim (float16), for matching."),
    )
    vector_encoder = models.CharField(verbose_name=_("vector's encoder"),
        max_length=40, blank=True, editable=False,
        help_text=_("Which encoder made the vector: a vector of another is computed again."),
    )
    cluster = models.IntegerField(verbose_name=_("cluster"),
        null=True, blank=True, editable=False, db_index=True,
        help_text=_("The story the claim belongs to: the first claim of those matched to each other."),
    )
    # An editor's corrections of the extraction (services.claim_edit) are written over the
    # fields above, so that every reader (pages, API, feeds, ClaimReview, search) sees the
    # claim as it is checked; what the extractor found stays here, kept from the first edit.
    claimed_on = models.DateField(
        _("date of the claim"), null=True, blank=True,
        help_text=_("When the claim was made, if not on the day its article was published."),
    )
    extracted = models.JSONField(verbose_name=_("extracted"),
        null=True, blank=True, editable=False,
        help_text=_("The extractor's values of the fields an editor changed, as first extracted."),
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    edited_at = models.DateTimeField(verbose_name=_("edited at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=[
            "reasons", "features", "shipped_score", "entities", "entity_names", "context", "search_vector",
            "extracted", "vector", "vector_encoder", "cluster",
        ]
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-score", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_span_unique"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_span_nonempty"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="claim_score_in_unit_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="claim_queue")]
        permissions = [
            ("work_claim", "Can work on claims: assign, add sources, draft verdicts, dismiss"),
            ("publish_verdict", "Can publish and correct verdicts"),
        ]

    def __str__(self) -> str:
        return text_shorten(self.text, 200)

    def get_absolute_url(self) -> str:
        return reverse("claims:detail", args=[self.pk, self.slug])

    @property
    def said_by(self) -> str:
        """ "Name, role", the name or the role alone ("Home Office minister"), or ""."""
        return ", ".join(part for part in (self.speaker, self.speaker_role) if part)

    @property
    def made_on(self):  # noqa: ANN201
        """The day the claim was made: as an editor set it, else the day its article was
        published in the newsroom's time zone; None when nobody knows."""
        if self.claimed_on:
            return self.claimed_on
        published = self.article.published_at
        return timezone.localtime(published).date() if published else None

    @property
    def slug(self) -> str:
        verdict = getattr(self, "verdict", None)
        return claim_slug(headline=verdict.headline if verdict else "", text=self.text)


class Source(models.Model):
    """A piece of evidence an editor attached to a claim."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(verbose_name=_("url"), max_length=2000)
    title = models.CharField(verbose_name=_("title"), max_length=500, blank=True)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=200, blank=True)
    quote = models.TextField(verbose_name=_("quote"), blank=True)
    stance = models.CharField(verbose_name=_("stance"), max_length=10, choices=Stance, default=Stance.CONTEXT)
    archived_url = models.URLField(verbose_name=_("archived url"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(verbose_name=_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title or self.url


def site_languages() -> list[str]:
    """The language codes the site speaks (settings.LANGUAGES), in order."""
    return [code for code, _name in settings.LANGUAGES]


class Rating(models.Model):
    """One step of the newsroom's rating scale: its label and description in each language
    the site speaks (one field per language, ``label_<code>``), and what ClaimReview needs."""

    label_en = models.CharField(_("label in English"), max_length=80)
    label_id = models.CharField(_("label in Indonesian"), max_length=80)
    description_en = models.TextField(_("description in English"), blank=True)
    description_id = models.TextField(_("description in Indonesian"), blank=True)
    value = models.PositiveSmallIntegerField(verbose_name=_("value"), help_text=_("ClaimReview ratingValue."))
    best = models.PositiveSmallIntegerField(verbose_name=_("best"), default=5)
    worst = models.PositiveSmallIntegerField(verbose_name=_("worst"), default=1)
    colour = models.CharField(verbose_name=_("colour"),
        max_length=7, default="#777777", help_text=_("Hex colour, #rrggbb."),
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1a7f37."))],
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-value", "id"]
        constraints = [
            models.UniqueConstraint(fields=["label_en"], name="rating_label_en_unique"),
            models.UniqueConstraint(fields=["label_id"], name="rating_label_id_unique"),
            models.CheckConstraint(
                condition=Q(worst__lte=models.F("value")) & Q(value__lte=models.F("best")),
                name="rating_value_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def label_in(self, language: str) -> str:
        """The label in ``language``; English when the site does not speak it."""
        return getattr(self, f"label_{language}", "") or self.label_en

    def description_in(self, language: str) -> str:
        return getattr(self, f"description_{language}", "") if language in site_languages() else self.description_en

    @property
    def label(self) -> str:
        """The label in the active language (the reader's, or the desk user's)."""
        return self.label_in(get_language() or settings.LANGUAGE_CODE)

    @property
    def description(self) -> str:
        return self.description_in(get_language() or settings.LANGUAGE_CODE)


class FactCheckText:
    """A published fact-check's words in one language: the verdict's own, or a translation's.

    ``label`` is the rating in that language; ``path`` the address of this language's page.
    """

    def __init__(self, *, verdict: Verdict, language: str, headline: str, summary: str, rationale: str,
                 original: bool) -> None:
        self.verdict = verdict
        self.language = language
        self.headline = headline
        self.summary = summary
        self.rationale = rationale
        self.original = original

    @property
    def label(self) -> str:
        return self.verdict.rating.label_in(self.language)

    @property
    def description(self) -> str:
        return self.verdict.rating.description_in(self.language)

    @property
    def path(self) -> str:
        """The claim's page, with ``?lang=`` for a translation (the original is the plain address)."""
        base = self.verdict.claim.get_absolute_url()
        return base if self.original else f"{base}?lang={self.language}"


class Verdict(models.Model):
    """The newsroom's finding on a claim; public only once published.

    It is written in one language (``language``; the claim's by default) and may have a
    translation in each other language the site speaks (``translations``).
    """

    claim = models.OneToOneField(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="verdict")
    rating = models.ForeignKey(Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="verdicts")
    language = models.CharField(
        _("language"), max_length=12, choices=settings.LANGUAGES,
        help_text=_("The language the verdict is written in; its rating is shown in it."),
    )
    headline = models.CharField(verbose_name=_("headline"), max_length=300)
    summary = models.TextField(verbose_name=_("summary"))
    rationale = models.TextField(verbose_name=_("rationale"), blank=True)
    # Who wrote the draft as it stands; every earlier version's writer is in the history.
    # Under the two-person rule none of them may publish or correct it (services.workflow).
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("drafted by"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    # What a correction may change, in the order readers are told about it.
    CORRECTABLE_FIELDS = ("rating", "headline", "summary", "rationale")

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Every public list (pages, feeds, API) is newest published first.
            models.Index(
                fields=["-published_at", "-claim"], condition=Q(published_at__isnull=False),
                name="verdict_published",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def label(self) -> str:
        """The rating in the verdict's own language."""
        return self.rating.label_in(self.language)

    def texts(self) -> dict[str, FactCheckText]:
        """The fact-check in each language it is public in: its own first, then each
        published translation. Expects ``translations`` prefetched with published ones only
        (``published_claims()`` does that); it filters again, so nothing unpublished leaks."""
        texts = {self.language: FactCheckText(
            verdict=self, language=self.language, headline=self.headline, summary=self.summary,
            rationale=self.rationale, original=True,
        )}
        for translation in self.translations.all():
            if translation.published_at is not None and translation.language not in texts:
                texts[translation.language] = FactCheckText(
                    verdict=self, language=translation.language, headline=translation.headline,
                    summary=translation.summary, rationale=translation.rationale, original=False,
                )
        return texts


class VerdictTranslation(models.Model):
    """A verdict's headline, summary and rationale in another language the site speaks.

    Drafted by an editor, public once a publisher publishes it (and only while the verdict
    itself is published); saving it again takes it back to a draft.
    """

    verdict = models.ForeignKey(Verdict, verbose_name=_("verdict"), on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    headline = models.CharField(_("headline"), max_length=300)
    summary = models.TextField(_("summary"))
    rationale = models.TextField(_("rationale"), blank=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("translator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["language", "id"]
        constraints = [
            models.UniqueConstraint(fields=["verdict", "language"], name="verdict_translation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.headline} ({self.language})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.verdict_id and self.language == self.verdict.language:
            raise ValidationError({"language": _("The verdict is written in this language already.")})


class Correction(models.Model):
    """A change to a published verdict: its values before and after, which of them changed,
    and a public note. The verdict holds the current values; the corrections, oldest first,
    hold every earlier one."""

    verdict = models.ForeignKey(Verdict, verbose_name=_("verdict"), on_delete=models.CASCADE, related_name="corrections")
    previous_rating = models.ForeignKey(Rating, verbose_name=_("previous rating"), on_delete=models.PROTECT, related_name="+")
    previous_headline = models.CharField(verbose_name=_("previous headline"), max_length=300)
    previous_summary = models.TextField(verbose_name=_("previous summary"))
    previous_rationale = models.TextField(verbose_name=_("previous rationale"), blank=True)
    # Null only on a row that lost its rating; every correction is written with one.
    new_rating = models.ForeignKey(Rating, verbose_name=_("new rating"), null=True, on_delete=models.PROTECT, related_name="+")
    new_headline = models.CharField(verbose_name=_("new headline"), max_length=300, blank=True)
    new_summary = models.TextField(verbose_name=_("new summary"), blank=True)
    new_rationale = models.TextField(verbose_name=_("new rationale"), blank=True)
    changed = models.JSONField(verbose_name=_("changed"),
        default=list, blank=True,
        help_text=_('What the correction changed, among "rating", "headline", "summary" and "rationale".'),
    )
    note = models.TextField(verbose_name=_("note"), help_text=_("Shown to readers: what changed and why."))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.verdict} on {self.created_at:%Y-%m-%d}"

    @property
    def what_changed(self) -> str:
        """What the correction changed, in a sentence for readers: "Rating changed from
        Benar to Sebagian benar; headline changed." (Load the two ratings and the verdict with it.)"""
        from django.utils.translation import gettext

        parts = []
        if "rating" in self.changed:
            # The ratings as the verdict names them: in the language it is written in.
            language = self.verdict.language
            parts.append(gettext("rating changed from %(before)s to %(after)s") % {
                "before": self.previous_rating.label_in(language),
                "after": self.new_rating.label_in(language) if self.new_rating else "?",
            })
        named = {"headline": gettext("headline changed"), "summary": gettext("summary changed"),
                 "rationale": gettext("rationale changed")}
        parts += [named[name] for name in Verdict.CORRECTABLE_FIELDS if name in named and name in self.changed]
        if "claim" in self.changed:  # the claim itself was edited (services.claim_edit)
            parts.append(gettext("the claim as checked was edited"))
        if not parts:
            return ""
        sentence = "; ".join(parts)
        return sentence[0].upper() + sentence[1:] + "."


class WebhookDelivery(models.Model):
    """One webhook event for a partner, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="deliveries")
    # A delivery is about one claim (a publication, a correction, a match) or about a
    # morning list (digest.ready).
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    digest = models.ForeignKey("Digest", verbose_name=_("morning list"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(verbose_name=_("event"), max_length=40)
    url = models.URLField(verbose_name=_("url"), max_length=2000)
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    response_code = models.PositiveIntegerField(verbose_name=_("response code"), null=True, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(verbose_name=_("last attempt at"), null=True, blank=True)
    # As on ExtractionJob: a delivery still pending at `due_at` is sent again by the sweep.
    due_at = models.DateTimeField(verbose_name=_("due at"), default=timezone.now)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True, help_text=_("Last handed to the workers' queue."))
    sends = models.PositiveIntegerField(verbose_name=_("sends"), default=0, help_text=_("Times handed to the workers' queue."))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="delivery_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(claim__isnull=True) | Q(digest__isnull=True),
                                   name="delivery_claim_or_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.partner} ({self.get_status_display()})"


class FactCheck(models.Model):
    """A fact-check published elsewhere, as its ClaimReview markup states it.

    Imported from a fact-check page, a DataFeed or a file (``import_factchecks``); known by
    its address, so importing the same review again updates it and never doubles it.
    """

    url = models.URLField(verbose_name=_("url"), max_length=2000, unique=True)
    claim_reviewed = models.TextField(verbose_name=_("claim reviewed"))
    claimant = models.CharField(verbose_name=_("claimant"), max_length=300, blank=True)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=200, blank=True)
    publisher_url = models.URLField(verbose_name=_("publisher url"), max_length=2000, blank=True)
    headline = models.CharField(verbose_name=_("headline"), max_length=500, blank=True)
    rating_text = models.CharField(verbose_name=_("rating text"), max_length=120, blank=True)
    rating_value = models.FloatField(verbose_name=_("rating value"), null=True, blank=True)
    rating_best = models.FloatField(verbose_name=_("rating best"), null=True, blank=True)
    rating_worst = models.FloatField(verbose_name=_("rating worst"), null=True, blank=True)
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"), null=True, blank=True, help_text=_("When the fact-check was published."))
    claimed_at = models.DateTimeField(verbose_name=_("claimed at"), null=True, blank=True, help_text=_("When the claim was made, if known."))
    language = models.CharField(verbose_name=_("language"), max_length=12, blank=True)
    imported_from = models.CharField(verbose_name=_("imported from"),
        max_length=2000, blank=True, help_text=_("The page, feed or file it was last imported from.")
    )
    vector = models.BinaryField(verbose_name=_("vector"),
        null=True, blank=True, editable=False,
        help_text=_("The multilingual encoder's vector of the claim reviewed (float16), for matching."),
    )
    vector_encoder = models.CharField(verbose_name=_("vector's encoder"),
        max_length=40, blank=True, editable=False,
        help_text=_("Which encoder made the vector: a vector of another is computed again."),
    )
    imported_at = models.DateTimeField(verbose_name=_("imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("fact-check from elsewhere")
        verbose_name_plural = _("fact-checks from elsewhere")
        indexes = [models.Index(fields=["publisher", "-reviewed_at"], name="factcheck_publisher_date")]

    def __str__(self) -> str:
        label = f"[{self.rating_text}] " if self.rating_text else ""
        return f"{self.publisher or '?'}: {label}{self.claim_reviewed[:80]}"


class MatchLink(models.Model):
    """A claim matched to a fact-check from elsewhere or to another claim (ours, published
    or not): suggested by the matcher with its score, then confirmed or rejected by an editor.

    Rejections are kept: they are what the threshold is tuned on, and a rejected pair is
    never suggested again.
    """

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="match_links")
    factcheck = models.ForeignKey(
        FactCheck, verbose_name=_("factcheck"), null=True, blank=True, on_delete=models.CASCADE, related_name="match_links"
    )
    other = models.ForeignKey(
        Claim, verbose_name=_("other"), null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text=_("The other claim, when the match is between two claims."),
    )
    score = models.FloatField(verbose_name=_("score"))
    method = models.CharField(verbose_name=_("method"), max_length=30, help_text=_('How it was found: "vectors+words", "words", "editor".'))
    state = models.CharField(verbose_name=_("state"), max_length=10, choices=LinkState, default=LinkState.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(factcheck__isnull=True, other__isnull=False) | Q(factcheck__isnull=False, other__isnull=True),
                name="matchlink_one_target",
            ),
            models.CheckConstraint(condition=~Q(claim=models.F("other")), name="matchlink_not_itself"),
            models.UniqueConstraint(fields=["claim", "factcheck"], condition=Q(factcheck__isnull=False),
                                    name="matchlink_claim_factcheck"),
            models.UniqueConstraint(fields=["claim", "other"], condition=Q(other__isnull=False),
                                    name="matchlink_claim_other"),
        ]
        indexes = [models.Index(fields=["claim", "state"], name="matchlink_claim_state")]

    def __str__(self) -> str:
        target = self.factcheck or self.other
        return f"{self.claim_id} ~ {target} ({self.score:.2f}, {self.state})"
class ScorerLayer(models.Model):
    """The newsroom's layer over the shipped check-worthiness model, fitted to the desk's
    decisions (claims.services.learning). At most one is active: it scores new claims.

    Every training that got as far as a fit is kept, switched in or not, with the figures
    of the layer in use before it and of itself on the same held-out decisions.
    """

    coefficients = models.JSONField(verbose_name=_("coefficients"), help_text=_("Bias and weights of the logistic layer."))
    figures = models.JSONField(verbose_name=_("figures"),
        default=dict, help_text=_("Held-out log-loss, precision, recall and F1 at the cut: old and new.")
    )
    decisions = models.PositiveIntegerField(verbose_name=_("decisions"), help_text=_("Editor decisions it was trained and tested on."))
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    active = models.BooleanField(verbose_name=_("active"), default=False)
    activated_at = models.DateTimeField(verbose_name=_("activated at"), null=True, blank=True)
    triggered_by = models.CharField(verbose_name=_("triggered by"), max_length=200, help_text=_("Who or what asked for the training."))
    note = models.TextField(verbose_name=_("note"), blank=True, help_text=_("Why it was or was not switched in."))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scoring layer")
        verbose_name_plural = _("scoring layers")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="scorer_layer_one_active"),
        ]

    def __str__(self) -> str:
        return f"Layer {self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


class ClaimNote(models.Model):
    """An editor's note on a claim, for the desk only: never on a public page, the API, a
    feed, ClaimReview or search."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on claim {self.claim_id} by {self.author}"


class Notice(models.Model):
    """Something a colleague did that concerns a user: a claim assigned to them, a note on
    a claim they hold. Shown in the desk until read."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to you")
        NOTE = "note", _("New note")
        MATCHED = "matched", _("A new claim matches your fact-check")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=Kind)
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(verbose_name=_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: claim {self.claim_id} for {self.recipient}"


class WatchedSource(models.Model):
    """An outlet's feed or sitemap that the desk polls for new articles (issue 22).

    Polling state lives on the row: ``next_poll_at`` says when it is due, ``lease_until``
    marks a poll in progress (one poll at a time, whatever the number of workers or beat
    restarts), ``failures`` counts polls that failed in a row and ``paused_at`` is set when
    too many did, until an editor resumes it. ``poll_asked_at`` is an editor's request to
    poll it now, whatever its state."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS or Atom feed")
        NEWS_SITEMAP = "news_sitemap", _("News sitemap")
        SITEMAP = "sitemap", _("Sitemap")

    name = models.CharField(verbose_name=_("outlet"), max_length=200)
    url = models.URLField(verbose_name=_("url"), max_length=2000, unique=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind, default=Kind.FEED)
    language = models.CharField(
        verbose_name=_("language"), max_length=12, blank=True, choices=settings.LANGUAGES,
        help_text=_("Leave empty to detect each article's language."),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="watched_sources",
        help_text=_("Only articles about these topics are imported; none means every article."),
    )
    poll_minutes = models.PositiveIntegerField(
        verbose_name=_("poll every (minutes)"), default=30, validators=[MinValueValidator(5)],
    )
    enabled = models.BooleanField(verbose_name=_("enabled"), default=False)
    etag = models.CharField(verbose_name=_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(verbose_name=_("Last-Modified"), max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(verbose_name=_("next poll at"), default=timezone.now)
    lease_until = models.DateTimeField(verbose_name=_("polling until"), null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(verbose_name=_("last polled at"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(verbose_name=_("last success at"), null=True, blank=True, editable=False)
    last_new_entries = models.PositiveIntegerField(verbose_name=_("new entries at last poll"), default=0, editable=False)
    failures = models.PositiveIntegerField(verbose_name=_("failures in a row"), default=0, editable=False)
    last_error = models.TextField(verbose_name=_("last error"), blank=True, editable=False)
    paused_at = models.DateTimeField(
        verbose_name=_("paused at"), null=True, blank=True,
        help_text=_("Set when polls kept failing; clear it to resume."),
    )
    # An editor's "poll now" on several sources: due at once, even when paused or switched
    # off, for one poll (its end clears it); it is neither resumed nor switched on.
    poll_asked_at = models.DateTimeField(verbose_name=_("poll asked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watched source")
        verbose_name_plural = _("watched sources")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["enabled", "next_poll_at"], name="watched_source_due")]
        permissions = [("manage_watchedsource", "Can add, change, switch on and off and poll watched sources")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class WatchedEntry(models.Model):
    """One article address seen in a watched source. Unique on the address, so no entry is
    fetched twice: a worker takes an entry by moving it from ``new`` to ``fetching`` with a
    lease, and a lost worker's lease runs out so the entry is taken again."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        FETCHING = "fetching", _("Fetching")
        IMPORTED = "imported", _("Imported")
        DUPLICATE = "duplicate", _("Already stored")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(WatchedSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="entries")
    url = models.URLField(verbose_name=_("url"), max_length=2000, unique=True)
    title = models.CharField(verbose_name=_("title"), max_length=500, blank=True)
    author = models.CharField(verbose_name=_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    state = models.CharField(verbose_name=_("state"), max_length=12, choices=State, default=State.NEW)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    lease_until = models.DateTimeField(verbose_name=_("fetching until"), null=True, blank=True, editable=False)
    turn_at = models.DateTimeField(
        verbose_name=_("turn at the site"), null=True, blank=True, editable=False,
        help_text=_("When it may be fetched: the site's next free turn, kept for it."),
    )
    due_at = models.DateTimeField(verbose_name=_("due at"), default=timezone.now)
    error = models.TextField(verbose_name=_("error"), blank=True)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, blank=True, on_delete=models.SET_NULL, related_name="watched_entries",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("watched entry")
        verbose_name_plural = _("watched entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="watched_entry_due"),
            models.Index(fields=["source", "created_at"], name="watched_entry_source_day"),
        ]

    def __str__(self) -> str:
        return self.url
class Digest(models.Model):
    """A morning list as made: the day, the topic (none: the whole desk), the claims on it
    in their order, and whether and to how many people it was emailed.

    One per day and topic: a second run that day (another worker, a restarted beat, the
    command run by hand) finds the row and makes no other. Its email is pending until
    ``emailed_at`` is set; a run that emails it holds it with ``emailing_until`` meanwhile,
    and writes each address into ``emailed_to`` as the mail server takes its message, so a
    run after a failure halfway emails only those still without it.
    """

    day = models.DateField(verbose_name=_("day"), help_text=_("The day of the list, in the newsroom's time zone."))
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="digests", help_text=_("Empty: the list of the whole desk."))
    since = models.DateTimeField(verbose_name=_("since"))
    until = models.DateTimeField(verbose_name=_("until"))
    claim_ids = models.JSONField(verbose_name=_("claims"), default=list, help_text=_("The claims on the list, best first."))
    recipients = models.PositiveIntegerField(verbose_name=_("recipients"), default=0,
                                             help_text=_("People the list was emailed to."))
    emailed_to = models.JSONField(verbose_name=_("emailed to"), default=list, blank=True, editable=False,
                                  help_text=_("The addresses that have it, as each was sent."))
    email_error = models.TextField(verbose_name=_("email error"), blank=True)
    emailed_at = models.DateTimeField(verbose_name=_("emailed at"), null=True, blank=True,
                                      help_text=_("Empty: not emailed yet (or the email failed)."))
    emailing_until = models.DateTimeField(verbose_name=_("emailing until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("morning list")
        verbose_name_plural = _("morning lists")
        ordering = ["-day", models.F("topic__name").asc(nulls_first=True), "id"]  # the desk's list first
        constraints = [
            models.UniqueConstraint(fields=["day", "topic"], condition=Q(topic__isnull=False),
                                    name="digest_one_per_day_and_topic"),
            models.UniqueConstraint(fields=["day"], condition=Q(topic__isnull=True), name="digest_one_per_day_desk"),
        ]

    def __str__(self) -> str:
        name = self.topic.localized_name if self.topic else _("Whole desk")
        return f"{self.day:%Y-%m-%d} {name}"


class WatchedHost(models.Model):
    """One site (scheme, host and port) that watched sources and their entries are read
    from: when it may next be visited (the politeness delay, shared by every worker) and
    its robots.txt, kept for a day."""

    origin = models.CharField(verbose_name=_("site"), max_length=300, unique=True)
    next_visit_at = models.DateTimeField(verbose_name=_("next visit at"), default=timezone.now)
    robots_txt = models.TextField(verbose_name=_("robots.txt"), blank=True)
    robots_fetched_at = models.DateTimeField(verbose_name=_("robots.txt read at"), null=True, blank=True)
    last_visit_at = models.DateTimeField(verbose_name=_("last visited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("watched site")
        verbose_name_plural = _("watched sites")
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin
class Tip(models.Model):
    """A claim a reader sent through the public form ("Send us a claim").

    It enters the queue as a claim of its own (``claim``, origin "tip", in an article of its
    own). The reader follows it at a private address whose token is stored only as its hash;
    the reader's address is kept only as a keyed hash, for the rate limit. The contact
    details are for the desk only and are blanked after FACTCHECK_TIP_CONTACT_DAYS.
    """

    text = models.TextField(verbose_name=_("text"), blank=True)
    url = models.URLField(verbose_name=_("link"), max_length=2000, blank=True)
    language = models.CharField(verbose_name=_("language"), max_length=12, choices=settings.LANGUAGES)
    contact = models.CharField(verbose_name=_("contact"), max_length=200, blank=True,
                               help_text=_("An email address or phone number, for the desk only."))
    token_hash = models.CharField(verbose_name=_("token hash"), max_length=64, unique=True, editable=False)
    address_hash = models.CharField(verbose_name=_("address hash"), max_length=64, blank=True, editable=False)
    claim = models.OneToOneField(Claim, verbose_name=_("claim"), null=True, on_delete=models.SET_NULL,
                                 related_name="tip")
    created_at = models.DateTimeField(verbose_name=_("sent at"), auto_now_add=True, db_index=True)
    contact_deleted_at = models.DateTimeField(verbose_name=_("contact deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader tip")
        verbose_name_plural = _("reader tips")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return text_shorten(self.text or self.url, 80)


class DeskProfile(models.Model):
    """A person's own settings on the desk: the language the desk opens in when they log in,
    and that the morning list and notices are emailed to them in. Blank: the site's
    (LANGUAGE_CODE)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="desk_profile")
    language = models.CharField(
        verbose_name=_("language"), max_length=12, blank=True, choices=settings.LANGUAGES,
        help_text=_("The desk opens in it when you log in, and the morning list and notices are emailed "
                    "to you in it. Empty: the site's language."))

    class Meta:
        verbose_name = _("desk profile")
        verbose_name_plural = _("desk profiles")

    def __str__(self) -> str:
        return str(self.user)
