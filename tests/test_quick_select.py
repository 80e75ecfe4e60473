"""The profile's country lists are written by `QuickSelect`, which must write exactly the HTML
Django's own `Select` writes (only faster)."""

from datetime import date

import pytest
from django import forms
from django.http import QueryDict
from django.test.html import parse_html

from programs.core.countries import iso_countries
from programs.core.widgets import QuickSelect
from programs.decisions.profile import ProfileForm
from programs.models import Vocabulary

CHOICES = [("", "Choose…"), ("FR", "France"), ("CI", "Côte d’Ivoire"), ("X&Y", "<b>odd</b>")]


@pytest.mark.parametrize("value", [None, "", "FR", "X&Y", "nowhere"])
def test_quick_select_writes_what_django_select_writes(value):
    attrs = {"id": "id_residence", "aria-describedby": "residence_help", "required": True}
    django_select = forms.Select(choices=CHOICES).render("residence", value, attrs)
    quick = QuickSelect(choices=CHOICES).render("residence", value, attrs)

    assert parse_html(quick) == parse_html(django_select)


def test_quick_select_writes_option_groups_as_django_does():
    grouped = [("Europe", [("FR", "France"), ("DE", "Germany")]), ("", "None")]
    django_select = forms.Select(choices=grouped).render("country", "DE")
    quick = QuickSelect(choices=grouped).render("country", "DE")

    assert parse_html(quick) == parse_html(django_select)


@pytest.mark.django_db
def test_the_profile_form_shows_every_country_with_the_answer_selected():
    data = QueryDict("residence=IN&citizenship=GB")
    form = ProfileForm(data, today=date(2026, 12, 7), vocabulary=Vocabulary())
    html = str(form["residence"])

    assert isinstance(form.fields["residence"].widget, QuickSelect)
    assert html.count("<option") >= len(iso_countries())
    assert '<option value="IN" selected>' in html
