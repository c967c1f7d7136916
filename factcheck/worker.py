"""The worker's consumer, made to survive its broker dropping while a job runs.

celery 5.7.0, on losing the broker, collects the connection and then closes it again. When
Redis dropped while the consumer was waiting on BRPOP, the collect leaves the channel
half-closed and removes the transport's client; the second close then tries to give the
running job's message back to Redis through a pool rebuilt from that missing client and
raises ``AttributeError: 'NoneType' object has no attribute 'hostname'``, which is not a
connection error, so the worker exits (6 deaths in 11 drops measured, issue 17).

Nothing can be given back to a Redis that is gone anyway: the message stays in Redis's
unacknowledged set and is handed out again after the visibility timeout, and the database
sweep re-sends a job that is due. So that one error is logged and the consumer reconnects
as it does after any other connection error. Installed with ``CELERY_WORKER_CONSUMER``.
"""

from __future__ import annotations

import logging

from celery.worker.consumer import Consumer as CeleryConsumer

logger = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    def on_connection_error_after_connected(self, exc: Exception) -> None:
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_lost_connection() -> None:
                try:
                    close()
                except AttributeError:
                    logger.warning("The lost broker connection was already half closed; its unacknowledged "
                                   "messages are handed out again after the visibility timeout.")

            connection.close = close_lost_connection
        super().on_connection_error_after_connected(exc)
