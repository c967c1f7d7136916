from django.db import models


class Counter(models.Model):
    """Requests counted in one window of one rate limit; gone once the window is past."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveBigIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True, help_text="Unix time after which the row is deleted.")

    class Meta:
        db_table = "throttle_counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
