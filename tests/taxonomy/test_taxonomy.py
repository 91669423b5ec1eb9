"""Taxonomies are data: regions with official codes and centroids, and the
organisations, programmes and topics the archive is classified by."""

import pytest

from scis.taxonomy.models import Organisation, Programme, Region, Topic
from scis.taxonomy.services import load_taxonomy

DOMAIN_MUNICIPALITIES = [
    "hwaseong",
    "paju",
    "bucheon",
    "suwon",
    "changwon",
    "chuncheon",
    "pohang",
    "tongyeong",
    "busan-suyeong",
    "seoul-seongdong",
    "buyeo",
    "gongju",
    "wonju",
    "gwangyang",
    "seosan",
    "siheung",
    "jecheon",
    "seoul-gangnam",
    "seoul-guro",
    "anyang",
    "gimhae",
    "gangneung",
    "goyang",
    "pyeongtaek",
    "mokpo",
    "taean",
    "asan",
    "cheonan",
    "pocheon",
    "yangpyeong",
    "jeonju",
    "suncheon",
]


@pytest.mark.django_db
def test_seventeen_provinces_with_official_codes_and_centroids():
    provinces = Region.objects.filter(level="province")
    assert provinces.count() == 17
    codes = {r.slug: r.code for r in provinces}
    assert codes["seoul"] == "11" and codes["busan"] == "26" and codes["sejong"] == "36"
    assert codes["gangwon"] == "51" and codes["jeonbuk"] == "52"
    for region in Region.objects.all():
        assert 33 <= region.latitude <= 38.7 and 124.5 <= region.longitude <= 131


@pytest.mark.django_db
def test_municipalities_named_in_the_domain_facts_belong_to_their_province():
    for slug in DOMAIN_MUNICIPALITIES:
        region = Region.objects.get(slug=slug)
        assert region.parent is not None
        assert region.code.startswith(region.parent.code)
        assert len(region.code) == 5


@pytest.mark.django_db
def test_terms_have_both_languages():
    for model in (Region, Organisation, Programme, Topic):
        assert not model.objects.filter(name_ko="").exists()
        assert not model.objects.filter(name_en="").exists()
    assert Organisation.objects.get(slug="molit").name_en.startswith("Ministry of Land")
    assert Topic.objects.count() == 13
    assert Programme.objects.filter(featured=True).count() >= 1


@pytest.mark.django_db
def test_reloading_the_taxonomy_changes_nothing():
    result = load_taxonomy()
    assert result.created == 0 and result.updated == 0
    assert (
        result.unchanged
        == Region.objects.count()
        + Organisation.objects.count()
        + Programme.objects.count()
        + Topic.objects.count()
    )


@pytest.mark.django_db
def test_edited_term_is_restored_by_reload():
    Region.objects.filter(slug="seoul").update(name_en="Typo")
    assert load_taxonomy().updated == 1
    assert Region.objects.get(slug="seoul").name_en == "Seoul"
