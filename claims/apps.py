import os
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .desk_language import language_on_login

        user_logged_in.connect(language_on_login, dispatch_uid="claims.language_on_login")
        # `make run` polls watched sources in-process (claims/scheduler.py); only runserver.
        from .scheduler import scheduler_start

        scheduler_start(sys.argv, os.environ)
