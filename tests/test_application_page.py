"""An official application page is recorded like any fact: with where it comes from and the day
an adviser checked it, refused by the form and by the database without them, https only; the
next step shows both, on the programme's page, its card and the comparison; the fixtures (what the
guides say, and the guides name no application page) leave it out, and a reload keeps it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.catalogue.fixture_export import export_directory
from programs.catalogue.loading import FIXTURE_FILES, load_directory
from programs.decisions.next_step import StepKind, next_step
from programs.models import Programme, Source
from tests.factories import make_country, make_programme, make_source, make_study_level
from tests.test_adding_a_programme import ADD, germany_example
from tests.test_admin import change_form_post

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
CHECKED = datetime.date(2026, 12, 3)
APPLY = "https://www.example-hospital.org/electives/apply"


@pytest.fixture(autouse=True)
def on_a_december_day(pin_today):
    pin_today(TODAY)


@pytest.fixture
def website():
    return Source.objects.create(
        kind=Source.Kind.WEBSITE, url="https://www.example-hospital.org/electives", date=CHECKED
    )


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_the_next_step_says_when_an_adviser_checked_the_page_and_where_it_comes_from(
    client, website
):
    programme = make_programme(
        application_url=APPLY,
        application_url_source=website,
        application_url_checked_on=CHECKED,
        website="https://www.example-hospital.org/",
    )

    step = next_step(programme)

    assert step.kind == StepKind.APPLICATION
    assert step.checked == (
        "Checked by an adviser on 3 December 2026; from the provider's website, read on "
        "3 December 2026."
    )
    page = client.get(programme.get_absolute_url()).content.decode()
    assert f'href="{APPLY}"' in page
    assert "Checked by an adviser on 3 December 2026" in page


def test_the_list_and_the_comparison_show_each_programmes_checked_page(client, website):
    with_page = make_programme(
        title="Alpha elective",
        application_url=APPLY,
        application_url_source=website,
        application_url_checked_on=CHECKED,
    )
    without = make_programme(title="Beta elective", application_url="")

    listing = client.get(reverse("programs:list")).content.decode()
    compare = client.get(reverse("programs:compare"), {"p": [with_page.slug, without.slug]})
    compared = compare.content.decode()

    for page in (listing, compared):
        assert f'href="{APPLY}"' in page
        assert page.count("Checked by an adviser on 3 December 2026") == 1
        assert "Web search for “Beta elective”" in page


def test_a_page_without_its_source_or_date_is_refused_by_clean_and_by_the_database(website):
    programme = make_programme(application_url="")
    programme.application_url = APPLY

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert set(refused.value.message_dict) >= {
        "application_url_source",
        "application_url_checked_on",
    }
    with (
        pytest.raises(IntegrityError, match="programme_application_page_has_source_and_date"),
        transaction.atomic(),
    ):
        programme.save()


def test_a_source_or_date_without_the_page_is_refused_too(website):
    programme = make_programme(application_url="")
    programme.application_url_source = website

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert "application_url" in refused.value.message_dict
    with (
        pytest.raises(IntegrityError, match="programme_application_page_has_source_and_date"),
        transaction.atomic(),
    ):
        programme.save()


def test_a_page_not_on_https_is_refused_by_clean_and_by_the_database(website):
    programme = make_programme(application_url="")
    programme.application_url = "http://www.example-hospital.org/apply"
    programme.application_url_source = website
    programme.application_url_checked_on = CHECKED

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert "https://" in refused.value.message_dict["application_url"][0]
    with (
        pytest.raises(IntegrityError, match="programme_application_page_is_https"),
        transaction.atomic(),
    ):
        programme.save()


def test_a_page_checked_in_the_future_is_refused(website):
    programme = make_programme(application_url="")
    programme.application_url = APPLY
    programme.application_url_source = website
    programme.application_url_checked_on = TODAY + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert "future" in refused.value.message_dict["application_url_checked_on"][0]


def test_an_adviser_records_the_page_with_its_source_and_date_in_the_change_form(
    adviser_client, website
):
    programme = make_programme(application_url="")
    url = reverse("admin:programs_programme_change", args=[programme.pk])
    data = change_form_post(adviser_client.get(url))

    refused = adviser_client.post(url, {**data, "application_url": APPLY})
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert set(errors) == {"application_url_source", "application_url_checked_on"}

    saved = adviser_client.post(
        url,
        {
            **data,
            "application_url": APPLY,
            "application_url_source": str(website.pk),
            "application_url_checked_on": "2026-12-03",
        },
    )
    assert saved.status_code == 302
    programme.refresh_from_db()
    assert (
        programme.application_url,
        programme.application_url_source,
        programme.application_url_checked_on,
    ) == (APPLY, website, CHECKED)


def test_a_page_typed_without_https_is_a_form_error_in_the_change_form(adviser_client, website):
    programme = make_programme(application_url="")
    url = reverse("admin:programs_programme_change", args=[programme.pk])
    data = change_form_post(adviser_client.get(url))

    response = adviser_client.post(
        url,
        {
            **data,
            "application_url": "http://www.example-hospital.org/apply",
            "application_url_source": str(website.pk),
            "application_url_checked_on": "2026-12-03",
        },
    )

    assert response.status_code == 200
    assert "https://" in str(response.context["adminform"].form.errors["application_url"])


def read_all(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FIXTURE_FILES}


def test_the_fixtures_leave_the_page_out_and_a_reload_keeps_it(seeded, tmp_path):
    # The guides state no application page: it is an adviser's record, like its source.
    programme = Programme.objects.get(slug="barts-health-summer-internship")
    source = make_source(kind=Source.Kind.EMAIL)
    programme.application_url = APPLY
    programme.application_url_source = source
    programme.application_url_checked_on = CHECKED
    programme.full_clean()
    programme.save()

    export_directory(tmp_path / "first")
    assert "application_url" not in (tmp_path / "first" / "programmes.yaml").read_text()
    report = load_directory(tmp_path / "first")
    export_directory(tmp_path / "second")

    assert not report.kept and report.updated == 0
    programme.refresh_from_db()
    assert (
        programme.application_url,
        programme.application_url_source,
        programme.application_url_checked_on,
    ) == (APPLY, source, CHECKED)
    assert read_all(tmp_path / "first") == read_all(tmp_path / "second")


def test_a_page_given_on_the_add_page_cites_the_source_given_there(adviser_client, db):
    germany = make_country("DE", name="Germany")
    level = make_study_level(name="Medical student")

    response = adviser_client.post(ADD, germany_example(germany, level, source_date="2026-12-01"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get(title="Surgical research placement (Famulatur)")
    assert programme.application_url_source == programme.source
    assert programme.application_url_checked_on == datetime.date(2026, 12, 1)


def test_the_checking_page_says_when_the_application_page_was_last_checked(adviser_client, website):
    """'Mark verified' lists each programme's pages to open; the application page carries the day
    an adviser last opened it, written as every other date ("3 December 2026")."""
    programme = make_programme(
        application_url=APPLY, application_url_source=website, application_url_checked_on=CHECKED
    )

    page = adviser_client.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "mark_verified_today", "_selected_action": [programme.pk]},
    ).content.decode()

    assert "Official application page (last checked 3 December 2026)" in page
