"""Authors' names as citation formats need them: family and given names."""

import pytest

from scis.library.names import AuthorName, split_name


@pytest.mark.parametrize(
    ("printed", "family", "given"),
    [
        # Hangul: family name first, no space.
        ("김도시", "김", "도시"),
        ("최성", "최", "성"),
        ("경경철", "경", "경철"),
        ("남궁민수", "남궁", "민수"),
        ("김 도시", "김", "도시"),
        # A comma settles any name.
        ("Kim, Dosi", "Kim", "Dosi"),
        ("선, 우진", "선", "우진"),
        # Romanised Korean names in either order.
        ("Kim Do-yun", "Kim", "Do-yun"),
        ("Lee Sujin", "Lee", "Sujin"),
        ("Min Yun-hong", "Min", "Yun-hong"),
        ("Dosi Kim", "Kim", "Dosi"),
        ("Seong Choi", "Choi", "Seong"),
        ("Kooksik Jeong", "Jeong", "Kooksik"),
        ("Do-yun KIM", "KIM", "Do-yun"),
        ("KIM Do-yun", "KIM", "Do-yun"),
        # Other names.
        ("Grace Park", "Park", "Grace"),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
        ("Anne  Marie   Smith", "Smith", "Anne Marie"),
    ],
)
def test_people_are_split_into_family_and_given_names(printed, family, given):
    assert split_name(printed) == AuthorName(family=family, given=given)


@pytest.mark.parametrize(
    "printed",
    [
        "국토연구원",
        "한국토지주택공사",
        "스마트도시협회",
        "국가스마트도시위원회",
        "Korea Research Institute for Human Settlements",
        "Ministry of Land, Infrastructure and Transport",
        "Seoul Digital Foundation",
        "Plato",
    ],
)
def test_organisations_and_single_words_stay_whole(printed):
    assert split_name(printed) == AuthorName(literal=printed)
