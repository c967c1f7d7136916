"""The editors' back office. Every workflow step calls a service; text is always escaped.

One module per screen group; importing this package registers them all with the admin site.
"""

from .accounts import DeskUserAdmin
from .articles import ArticleAdmin
from .base import ReadOnlyInline, ViewOnlyHistoryAdmin, WritesOnlyItsFields
from .claims import ClaimAdmin
from .digest import DigestAdmin
from .factchecks import FactCheckAdmin
from .jobs import ExtractionJobAdmin
from .partners import ApiKeyAdmin, PartnerAdmin, WebhookDeliveryAdmin
from .records import SourceAdmin, VerdictAdmin
from .reference import CorrectionAdmin, RatingAdmin, TopicAdmin
from .scoring import ScorerLayerAdmin
from .tips import TipAdmin
from .watch import WatchedSourceAdmin

__all__ = [
    "ApiKeyAdmin", "ArticleAdmin", "ClaimAdmin", "CorrectionAdmin", "DeskUserAdmin", "DigestAdmin", "ExtractionJobAdmin", "FactCheckAdmin",
    "PartnerAdmin", "RatingAdmin", "ReadOnlyInline", "ScorerLayerAdmin", "SourceAdmin", "TipAdmin", "TopicAdmin",
    "VerdictAdmin", "ViewOnlyHistoryAdmin", "WatchedSourceAdmin", "WebhookDeliveryAdmin", "WritesOnlyItsFields",
]
