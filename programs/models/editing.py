"""Who has a record's change form open: one row per adviser and record, pinged while the form is
open (the idea of Wagtail's concurrent-editing notifications, RFC 95). Not directory data: no
history, no admin; rows older than a day are dropped as new ones are written."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

# A form not pinged for this long is taken to be closed (its script pings every 30 seconds; a form
# opened with scripts off shows its adviser for this long after opening).
PRESENT_FOR = timedelta(minutes=5)
FORGOTTEN_AFTER = timedelta(days=1)


class EditingSessionQuerySet(models.QuerySet["EditingSession"]):
    def of(self, record: models.Model) -> EditingSessionQuerySet:
        content_type = ContentType.objects.get_for_model(record)
        return self.filter(content_type=content_type, object_id=str(record.pk))

    def present(self, now: datetime) -> EditingSessionQuerySet:
        return self.filter(last_seen__gte=now - PRESENT_FOR)

    def open(self, user, record: models.Model, now: datetime) -> EditingSessionQuerySet:
        """Note that `user` has `record`'s form open now; the others who have it open."""
        sessions = self.of(record)
        if not sessions.filter(user=user).update(last_seen=now):
            content_type = ContentType.objects.get_for_model(record)
            new = self.model(
                user=user,
                content_type=content_type,
                object_id=str(record.pk),
                opened_at=now,
                last_seen=now,
            )
            # ignore_conflicts: the same adviser opening it in two tabs at once.
            self.bulk_create([new], ignore_conflicts=True)
        self.filter(last_seen__lt=now - FORGOTTEN_AFTER).delete()
        others = sessions.present(now).exclude(user=user)
        return others.select_related("user").order_by("opened_at")

    def close(self, user, record: models.Model) -> None:
        self.of(record).filter(user=user).delete()


class EditingSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    opened_at = models.DateTimeField()
    last_seen = models.DateTimeField()

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            # Also the index of "who has this record open" (content type and object first).
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"],
                name="editing_session_one_per_user_and_record",
            ),
        ]
        indexes = [
            # Dropping forgotten rows: WHERE last_seen < now - 1 day.
            models.Index(fields=["last_seen"], name="editing_session_last_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.content_type} {self.object_id}"
