"""`make backup` / `make restore`: a round trip keeps users, history and timestamps."""

import datetime as dt
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from programs.catalogue.backups import backup, restore
from programs.models import Programme
from tests.factories import make_programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_users_history_and_timestamps(tmp_path):
    if connection.vendor == "postgresql" and "test_" not in connection.settings_dict["NAME"]:
        pytest.skip("restores only into a test database")
    user = get_user_model().objects.create_user("amina", "amina@example.org", "a-long-password-1")
    programme = make_programme(title="Kept")
    programme.title = "Kept, then edited"
    programme.save()
    Programme.objects.filter(pk=programme.pk).update(
        updated_at=dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    )
    history_before = programme.history.count()
    path = backup(tmp_path / "site.backup")

    programme.delete()
    user.delete()
    make_programme(title="Made after the backup")
    restore(path)

    restored = Programme.objects.get(slug=programme.slug)
    assert restored.title == "Kept, then edited"
    assert restored.updated_at == dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert restored.history.count() == history_before >= 2
    assert get_user_model().objects.get(username="amina").check_password("a-long-password-1")
    assert not Programme.objects.filter(title="Made after the backup").exists()


def test_restore_asks_for_confirmation(tmp_path):
    path = backup(tmp_path / "site.backup")

    with pytest.raises(Exception, match="--yes"):
        call_command("restore_database", str(path))


def test_a_backup_is_readable_by_its_owner_alone(tmp_path):
    older = tmp_path / "backups" / "site.backup"
    older.parent.mkdir()
    older.write_bytes(b"an older backup of the same name")
    older.chmod(0o644)

    path = backup(older)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_size > 100


def test_a_new_backup_folder_is_private_too(tmp_path):
    path = backup(tmp_path / "new-folder" / "site.backup")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
