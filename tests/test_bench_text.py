"""The bench's synthetic prose (bench/text.py) has to look like a real archive
to the search benchmark: a subject term in a minority of records, common words
everywhere, and sentences that records rarely share."""

import random
import re

import pytest

from bench.phrases import SUBJECTS
from bench.text import ProseGenerator


def _prose(seed: int) -> ProseGenerator:
    return ProseGenerator(random.Random(seed))  # noqa: S311 (repeatable, not secret)


@pytest.fixture(scope="module")
def records():
    prose = _prose(7)
    return [prose.record("news") for _ in range(2_000)]


def _sentences(html: str) -> list[str]:
    text = re.sub(r"</?p>", " ", html)
    return [s for s in re.split(r"(?<=[.])\s+", text.strip()) if s]


def _share(records, word: str) -> float:
    return sum(word in r.body[0] for r in records) / len(records)


def test_a_subject_term_is_in_a_minority_of_bodies_and_common_words_in_most(
    records,
):
    assert _share(records, "데이터 허브") < 0.4
    assert _share(records, "드론 배송") < 0.15
    assert _share(records, "도시") > 0.9
    assert _share(records, "사업") > 0.9


def test_a_record_is_mostly_about_its_own_subject(records):
    def most_named(body: str) -> str:
        return max((name for name, _ in SUBJECTS), key=body.count)

    own = [
        most_named(r.body[0]) == SUBJECTS[r.focus.subject][0]
        and SUBJECTS[r.focus.subject][0] in r.title[0]
        for r in records[:300]
    ]
    assert sum(own) > 0.9 * len(own)


def test_most_sentences_are_unique_across_records(records):
    sentences = [s for r in records for s in _sentences(r.body[0])]
    assert len(set(sentences)) / len(sentences) > 0.7


def test_both_languages_say_the_same_number_of_sentences(records):
    for record in records[:200]:
        ko, en = record.body
        assert ko.count("<p>") == en.count("<p>")
        assert len(_sentences(ko)) == len(_sentences(en))
        assert re.findall(r"\d[\d,.]*%", ko) == re.findall(r"\d[\d,.]*%", en)


def test_korean_particles_follow_the_word():
    prose = _prose(3)
    text = " ".join(prose.record("news").body[0] for _ in range(300))

    assert "트윈를" not in text and "트윈는" not in text
    assert "트윈을" in text or "트윈은" in text
    assert "주차을" not in text and "주차은" not in text


def test_the_same_seed_gives_the_same_prose():
    first = _prose(11)
    second = _prose(11)

    assert [first.record("document") for _ in range(20)] == [
        second.record("document") for _ in range(20)
    ]
    assert first.extracted_text() == second.extracted_text()
