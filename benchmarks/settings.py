"""Settings for the API benchmark's server: the product's settings plus the bare comparison view.

Only ``benchmarks/api.py`` selects this module (``DJANGO_SETTINGS_MODULE=benchmarks.settings``);
deployments use ``factcheck.settings``, whose URLs have no ``/bench/`` route.
"""

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
