import os
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `make run` polls watched sources in-process (claims/scheduler.py); only runserver.
        from .scheduler import scheduler_start

        scheduler_start(sys.argv, os.environ)
