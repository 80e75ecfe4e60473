"""The searches students tried (issue 12), on the real fixtures, on SQLite and PostgreSQL."""

import pytest

from programs.models import Programme, SearchSynonym, Speciality
from tests.factories import make_programme, make_speciality

pytestmark = pytest.mark.django_db
URL = "/programmes/"

UK = {
    "lite-regal-medical-internship-shadowing-london",
    "uclh-hospital-shadowing-elective",
    "barts-health-summer-internship",
    "ucl-summer-research-internship",
    "mrc-lab-based-summer-studentships",
    "uhsa-clinical-rotations-abroad",
}
US = {
    "nhgri-summer-internship-biomedical-research",
    "johns-hopkins-internship-brain-sciences",
    "roswell-park-summer-cancer-research-experience",
    "stanford-pediatrics-internship-program",
    "semmelweis-international-mobility-placements",  # Germany, Japan, Canada and the USA
    "penn-center-for-global-health-internship",  # under the guide's "Opportunities in the USA"
}
PUBLIC_HEALTH = {
    "penn-center-for-global-health-internship",
    "who-internships",
    "unicef-internships",
    "paho-internships",
}


def found(client, q: str, **filters) -> list[str]:
    response = client.get(URL, {"q": q, **filters})
    assert response.status_code == 200
    return [card.programme.slug for card in response.context["cards"]]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("q", ["paediatrics", "pediatrics", "Paediatric", "PAEDIATRICS"])
def test_paediatrics_finds_stanfords_paediatrics_programme_in_either_spelling(client, q):
    assert found(client, q) == ["stanford-pediatrics-internship-program"]


@pytest.mark.usefixtures("seeded")
def test_public_health_finds_the_four_public_health_listings(client):
    assert set(found(client, "public health")) == PUBLIC_HEALTH


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("q", ["USA", "US", "America", "United States", "usa"])
def test_usa_and_its_other_names_find_the_programmes_in_the_united_states(client, q):
    assert set(found(client, q)) == US


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("q", ["UK", "United Kingdom", "Britain", "England", "GB"])
def test_uk_and_england_find_all_six_uk_listings(client, q):
    assert set(found(client, q)) == UK


@pytest.mark.usefixtures("seeded")
def test_oncology_finds_the_cancer_research_programme(client):
    assert found(client, "oncology") == ["roswell-park-summer-cancer-research-experience"]
    assert found(client, "cancer") == ["roswell-park-summer-cancer-research-experience"]


@pytest.mark.usefixtures("seeded")
def test_paid_matches_whole_words_only_never_unpaid(client):
    paid = set(found(client, "paid"))

    # "Most places are unpaid, though some paid posts exist" (Barts) says both.
    assert paid == {
        "barts-health-summer-internship",
        "ucl-summer-research-internship",
        "nhgri-summer-internship-biomedical-research",
        "roswell-park-summer-cancer-research-experience",
    }
    assert "uclh-hospital-shadowing-elective" not in paid  # its summary says only "unpaid"


@pytest.mark.usefixtures("seeded")
def test_a_typo_gets_did_you_mean_with_a_link_that_finds_something(client):
    response = client.get(URL, {"q": "paediatrcs"})

    assert response.context["count"] == 0
    assert response.context["suggestions"].correction == "paediatrics"
    html = response.content.decode()
    assert "Did you mean" in html
    assert '?q=paediatrics"' in html
    assert found(client, "paediatrics") == ["stanford-pediatrics-internship-program"]


@pytest.mark.usefixtures("seeded")
def test_no_result_offers_filters_to_drop_and_specialities_from_the_data(client):
    response = client.get(URL, {"q": "oncology", "country": "GB"})

    suggestions = response.context["suggestions"]
    assert response.context["count"] == 0
    assert {(r.label, r.count) for r in suggestions.relaxations} == {
        ("Search", 6),  # the UK's six
        ("Country", 1),  # the cancer research programme, in the United States
    }
    assert suggestions.topics and all(topic.count > 0 for topic in suggestions.topics)
    html = response.content.decode()
    assert "Remove country" in html
    assert "browse the specialities" in html


@pytest.mark.usefixtures("seeded")
def test_the_search_ranks_title_matches_above_summary_mentions(client):
    response = client.get(URL, {"q": "research"})
    titles = [card.programme.title.lower() for card in response.context["cards"]]
    in_title = ["research" in title for title in titles]

    assert in_title[:3] == [True, True, True]
    assert in_title == sorted(in_title, reverse=True)  # no title match after another match


def test_a_synonym_added_as_data_changes_what_search_finds(client):
    make_programme(slug="obs", title="Obstetrics and gynaecology elective")
    assert found(client, "OB/GYN") == []

    SearchSynonym.objects.create(term="OB/GYN", means="obstetrics and gynaecology")

    assert found(client, "OB/GYN") == ["obs"]
    assert found(client, "obgyn") == []  # another term needs its own row


def test_renaming_a_speciality_updates_what_search_finds(client):
    speciality = make_speciality(name="Childrens medicine")
    make_programme(slug="kids", title="Summer clinic", specialities=[speciality])
    assert found(client, "paediatrics") == []

    Speciality.objects.filter(pk=speciality.pk).get().__class__  # noqa: B018 (fetch)
    speciality.name = "Paediatrics"
    speciality.save()

    assert found(client, "paediatrics") == ["kids"]


def test_search_syntax_phrases_exclusions_and_or(client):
    make_programme(slug="a", title="Cardiology ward", summary="Theatre and wards.")
    make_programme(slug="b", title="Surgery ward", summary="Cardiology theatre.")
    make_programme(slug="c", title="Psychiatry clinic")

    assert set(found(client, "cardiology")) == {"a", "b"}
    assert found(client, "cardiology -surgery") == ["a"]
    assert found(client, '"cardiology theatre"') == ["b"]
    assert set(found(client, "psychiatry or surgery")) == {"b", "c"}
    assert found(client, "cardiology psychiatry") == []
    assert Programme.objects.count() == 3
