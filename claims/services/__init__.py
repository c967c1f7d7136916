"""Every write the product makes. Views, admin actions, commands and tasks call these.

One module per flow; this package re-exports their public names, so callers write
``from claims import services; services.claim_assign(...)``. A test that replaces a
service replaces it in the module that calls it (``claims.services.jobs.job_claim``).

- submissions: articles coming in (text, HTML, URL), from editors, imports and partners
- jobs: extraction jobs and storing their claims; what happens when a job crashes
- sending: handing jobs and deliveries to the workers; the sweep that sends them again
- webhooks: telling partners about publications and corrections
- factchecks: fact-checks published elsewhere (ClaimReview pages, DataFeeds, files)
- matching: vectors, suggested links and editors' decisions on them
- workflow: the review workflow, step by step (its rules: claims/workflow.py)
- partners: API keys and the budget of new text a minute
- learning: the newsroom's scoring layer, refitted from the desk's decisions
- permissions: who may write
- team: notes on claims and notices to colleagues
- digest: the morning list, by email to the desk and by webhook to partners
- watching: polling outlets' feeds and sitemaps, and fetching the articles they list
- watchlist: the desk's watched sources: switched on and off, resumed; the starter list
- accounts: a person's own settings on the desk (their language)
"""

from __future__ import annotations

from ..choices import DISMISS_REASONS
from ..errors import (
    BROKER_ERRORS,
    TRANSIENT_DB_ERRORS,
    JobRetry,
    SubmitBudgetExceeded,
    WebhookRetry,
    WorkflowError,
)
from ..workflow import STEPS, UNDECIDED_STATUSES
from .accounts import user_language_set
from .digest import DIGEST_EVENT, DigestList, DigestRun, digest_lists, digest_recipients, digest_send
from .factchecks import (
    FactCheckImport,
    FactCheckSourceError,
    factcheck_store,
    factchecks_fetch,
    factchecks_import_url,
    factchecks_read_html,
    factchecks_read_json,
    factchecks_store,
)
from .jobs import (
    EXTRACTED_FIELDS,
    JOB_ERROR_ATTEMPTS,
    JOB_ERROR_INTERNAL,
    JOB_ERROR_TIME_LIMIT,
    JOB_TIME_LIMIT_TRIES,
    NAMED_ENTITY_LABELS,
    ExtractionResult,
    article_job_queue,
    article_reextract,
    claims_store,
    job_claim,
    job_enqueue,
    job_fail,
    job_requeue,
    job_resend_if_due,
    job_retry,
    job_run,
)
from .learning import (
    Decision,
    TrainingOutcome,
    claims_rescore_open,
    decision_labels,
    layer_active,
    layer_train,
    layer_train_by,
)
from .matching import (
    article_claims_match,
    claim_links_prune,
    claim_matches_suggest,
    claims_vectorize,
    factcheck_index_build,
    factchecks_vectorize,
    link_close_as_checked,
    link_decide,
    vectors_refresh,
)
from .partners import (
    API_SCOPES,
    api_key_create,
    api_key_revoke,
    key_generate,
    key_hash,
    key_is_valid,
    partner_budget_return,
    partner_budget_take,
)
from .permissions import PUBLISH_PERMISSION, WORK_PERMISSION, permission_require
from .sending import (
    SEND_GRACE,
    SWEEP_BATCH,
    SweepResult,
    delivery_send,
    job_send,
    resend_after,
    row_send,
    sweep_due,
)
from .submissions import (
    Submission,
    article_submit,
    article_url_submit,
    desk_article_submit,
    partner_article_submit,
)
from .team import NOTE_MAX_CHARS, note_add, notice_send, notices_mark_read
from .tips import TipSent, tip_prepare, tip_submit, tips_contact_delete, tips_contact_purge
from .watching import (
    PollResult,
    entries_fetch_due,
    entry_fetch,
    source_poll,
    source_poll_now,
    sources_poll_due,
    sources_poll_soon,
    watch_tick,
)
from .watchlist import (
    STARTER_SOURCES,
    WATCH_PERMISSION,
    StarterLoad,
    sources_resume,
    sources_switch,
    starter_rows_read,
    starter_sources_load,
)
from .webhooks import (
    WEBHOOK_BACKOFF_MAX_SECONDS,
    WEBHOOK_BACKOFF_SECONDS,
    WEBHOOK_MAX_ATTEMPTS,
    webhook_deliver,
    webhooks_queue,
)
from .workflow import (
    CLAIM_EDIT_FIELDS,
    SOURCE_FIELDS,
    claim_assign,
    claim_dismiss,
    claim_edit,
    claim_mark_duplicate,
    source_add,
    source_update,
    two_person_rule_check,
    verdict_correct,
    verdict_draft,
    verdict_drafters,
    verdict_language_default,
    verdict_publish,
    verdict_translate,
    verdict_translation_publish,
)

__all__ = [
    "DIGEST_EVENT", "DigestList", "DigestRun", "digest_lists", "digest_recipients", "digest_send",
    "user_language_set",
    "API_SCOPES",
    "BROKER_ERRORS",
    "CLAIM_EDIT_FIELDS",
    "DISMISS_REASONS",
    "Decision",
    "EXTRACTED_FIELDS",
    "ExtractionResult",
    "FactCheckImport",
    "FactCheckSourceError",
    "JOB_ERROR_ATTEMPTS",
    "JOB_ERROR_INTERNAL",
    "JOB_ERROR_TIME_LIMIT",
    "JOB_TIME_LIMIT_TRIES",
    "JobRetry",
    "NOTE_MAX_CHARS",
    "NAMED_ENTITY_LABELS",
    "PUBLISH_PERMISSION",
    "SEND_GRACE",
    "SOURCE_FIELDS",
    "STEPS",
    "SWEEP_BATCH",
    "Submission",
    "SubmitBudgetExceeded",
    "SweepResult",
    "TrainingOutcome",
    "TRANSIENT_DB_ERRORS",
    "UNDECIDED_STATUSES",
    "WEBHOOK_BACKOFF_MAX_SECONDS",
    "WEBHOOK_BACKOFF_SECONDS",
    "WEBHOOK_MAX_ATTEMPTS",
    "WORK_PERMISSION",
    "WebhookRetry",
    "WorkflowError",
    "api_key_create",
    "api_key_revoke",
    "article_job_queue",
    "article_reextract",
    "article_claims_match",
    "article_submit",
    "claim_links_prune", "claim_matches_suggest",
    "claims_vectorize",
    "factcheck_index_build",
    "factcheck_store",
    "factchecks_fetch",
    "factchecks_import_url",
    "factchecks_read_html",
    "factchecks_read_json",
    "factchecks_store",
    "factchecks_vectorize",
    "vectors_refresh",
    "link_close_as_checked",
    "link_decide",
    "article_url_submit",
    "claim_assign",
    "claim_dismiss",
    "claim_edit",
    "claim_mark_duplicate",
    "claims_rescore_open",
    "claims_store",
    "decision_labels",
    "desk_article_submit",
    "delivery_send",
    "job_claim",
    "layer_active",
    "layer_train",
    "layer_train_by",
    "job_enqueue",
    "job_fail",
    "job_requeue",
    "job_resend_if_due",
    "job_retry",
    "job_run",
    "job_send",
    "key_generate",
    "key_hash",
    "key_is_valid",
    "note_add",
    "notice_send",
    "notices_mark_read",
    "partner_article_submit",
    "partner_budget_return",
    "partner_budget_take",
    "permission_require",
    "resend_after",
    "row_send",
    "source_add",
    "source_update",
    "sweep_due",
    "TipSent",
    "tip_prepare",
    "tip_submit",
    "tips_contact_delete",
    "tips_contact_purge",
    "two_person_rule_check",
    "verdict_correct",
    "verdict_draft",
    "verdict_drafters",
    "verdict_language_default",
    "verdict_publish",
    "verdict_translate",
    "verdict_translation_publish",
    "webhook_deliver",
    "webhooks_queue",
    "PollResult",
    "entries_fetch_due",
    "entry_fetch",
    "source_poll",
    "source_poll_now",
    "sources_poll_due",
    "sources_poll_soon",
    "watch_tick",
    # watchlist
    "STARTER_SOURCES",
    "WATCH_PERMISSION",
    "StarterLoad",
    "sources_resume",
    "sources_switch",
    "starter_rows_read",
    "starter_sources_load",
]
