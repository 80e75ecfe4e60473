"""What `load_directory` last wrote to each row, so a reload can tell its own values from an
adviser's edit, and which rows an editor deleted since (a tombstone: a reload leaves them deleted)."""

from django.db import models


class FixtureRecord(models.Model):
    """One row the fixtures loaded: its model, natural key and a fingerprint of the values the
    loader wrote. A reload updates a row only while its stored values still have this
    fingerprint; otherwise someone edited it since, and the reload reports a conflict. When an
    editor deletes the row, `deleted_at` records it, and a reload does not create it again."""

    model = models.CharField(max_length=100)  # "programs.programme"
    key = models.CharField(max_length=500)  # the natural key as JSON
    fingerprint = models.CharField(max_length=64)  # sha256 of the values, hex
    loaded_at = models.DateTimeField(auto_now=True)
    # Set when the row is deleted (catalogue.loading.record_deletion); cleared when it is back.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="fixture_record_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"
