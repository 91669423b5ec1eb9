"""Korean or English: the two portal languages."""

import pytest

from scis.harvest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("국토교통부는 28일 세종 스마트시티 국가시범도시 조성 현황을 발표했다.", "ko"),
        ("MOLIT, K-City 자율주행 실증 AI 데이터 허브 구축", "ko"),
        ("The Ministry announced the Sejong national pilot smart city plan.", "en"),
        ("Sejong 5-1 (세종) national pilot smart city: progress report 2024", "en"),
    ],
)
def test_language_of_the_text(text, expected):
    assert detect_language(text) == expected


def test_no_letters_gives_the_default():
    assert detect_language("") == "ko"
    assert detect_language("2024.03.28 — 12,345", default="en") == "en"
