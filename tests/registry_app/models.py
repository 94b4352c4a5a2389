from django.db import models


class ReceptionTally(models.Model):
    """A stand-in area's data: only its permissions are used (no table is created)."""

    day = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        managed = False

    def __str__(self):
        return f"{self.day} {self.count}"
