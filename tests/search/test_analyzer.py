"""The analyzer and query parser: what a reader types becomes the terms the
records were indexed under."""

import pytest

from scis.search.analyzer import analyze, analyzer, user_dictionary
from scis.search.engines import PostgreSQLEngine, SQLiteEngine, tsvector_literal
from scis.search.query import parse, synonym_groups


@pytest.mark.parametrize("word", ["도시를", "도시의", "도시에서", "도시는"])
def test_particles_and_endings_are_dropped(word):
    assert analyze(word) == ["도시"]


def test_a_domain_compound_is_indexed_as_its_parts():
    assert analyze("스마트도시를") == ["스마트", "도시"]
    assert analyze("국가시범도시의") == ["국가", "시범", "도시"]
    # The same parts whether written together or apart.
    assert analyze("데이터허브") == analyze("데이터 허브")


def test_every_dictionary_entry_splits_as_written():
    for word, (_tag, parts) in user_dictionary().items():
        assert analyze(word) == list(parts or (word,)), word


def test_a_word_searched_alone_reads_as_it_does_in_a_sentence():
    # Kiwi reads words differently in context (대중교통 split into 대중 교통
    # inside a sentence, whole alone); a query of one word must still find
    # the sentence that holds it.
    sentence = (
        "세종시는 대중교통을 중심으로 가상공간에서 도시를 설계하고, "
        "본사업 첫해에 광역시 주민과 함께 수요응답형 버스를 운행했다."
    )
    indexed = analyze(sentence)
    for word in sentence.replace(",", " ").replace(".", " ").split():
        assert all(term in indexed for term in analyze(word)), word


def test_english_is_lower_cased_and_stemmed_without_stopwords():
    assert analyze("The Smart Cities of Korea") == ["smart", "citi", "korea"]
    assert analyze("certification") == analyze("Certification")


def test_mixed_and_full_width_text():
    assert analyze("ＵＡＭ 실증을") == ["uam", "실증"]
    assert analyze("2024년 AI 공모에서") == ["2024", "ai", "공모"]


def test_token_spans_point_at_the_words_in_the_text():
    text = "세종의 스마트도시를"
    spans = {(t.term, text[t.start : t.end]) for t in analyzer().tokens(text)}
    assert ("세종", "세종") in spans
    assert ("도시", "도시") in spans


@pytest.mark.parametrize(
    "wanted",
    [
        {"도시"},
        {"세종", "버스"},
        {"수요", "응답", "2024"},
        {"스마트", "citi", "광역시"},
    ],
)
def test_marking_a_querys_words_reads_only_the_words_that_hold_them(wanted):
    """Snippets mark a query's words: reading only the Hangul words that
    hold one of them (a fresh web worker's first searches are mostly Kiwi
    reading snippet words) marks the same spans as reading every word."""
    texts = [
        "세종시는 2024년 대중교통을 중심으로 가상공간에서 도시를 설계했다.",
        "국가시범도시의 수요응답형 버스를 smart cities 광역시 주민이 탔다.",
        "스마트도시를 잇는 통합플랫폼과 데이터허브",
    ]
    # Words read before are remembered whole: start from none, as a fresh
    # process does.
    analyzer()._words.clear()
    only = analyzer().tokens_many(texts, only=wanted)
    assert len(analyzer()._words) < 12
    every = analyzer().tokens_many(texts)
    marked = [[t for t in tokens if t.term in wanted] for tokens in every]
    assert all(term in {t.term for t in sum(marked, [])} for term in wanted)
    assert [[t for t in tokens if t.term in wanted] for tokens in only] == marked


def test_synonyms_join_korean_and_english_names():
    groups = synonym_groups()
    assert ("smart", "citi") in groups[("스마트", "도시")]
    assert ("uam",) in groups[("도심", "항공", "교통")]


def test_a_query_expands_synonyms_into_one_clause():
    query = parse("스마트도시 인증")
    assert len(query.clauses) == 2
    assert ("스마트", "시티") in query.clauses[0].alternatives
    assert ("certif",) in query.clauses[1].alternatives


def test_quoted_words_are_a_phrase():
    query = parse('"smart city certification" 2024')
    phrase = next(c for c in query.clauses if c.phrase)
    assert phrase.alternatives == (("smart", "citi", "certif"),)


@pytest.mark.parametrize(
    "raw",
    ['"', "*", "NEAR(a b)", "a AND -b", "((()))", "'; DROP TABLE x; --", "을를", ""],
)
def test_engine_syntax_becomes_quoted_literals(raw):
    query = parse(raw)
    compiled = SQLiteEngine().compile(query)
    # Every term is a double-quoted string; nothing else but the operators
    # this module writes itself.
    stripped = compiled
    for clause in query.clauses:
        for alternative in clause.alternatives:
            stripped = stripped.replace('"' + " ".join(alternative) + '"', "")
    assert set(stripped) <= set("() ORAND")
    assert "'" not in PostgreSQLEngine().compile(parse("it's")).replace("''", "")[1:-1]


def test_a_long_query_is_cut_not_refused():
    query = parse("도시 " * 500)
    assert len(query.text) <= 200
    assert query.clauses


def test_a_tsvector_keeps_positions_and_weights():
    literal = tsvector_literal(
        {
            "title": ["세종", "도시"],
            "summary": ["도시"],
            "body": [],
            "meta": [],
            "other": [],
        }
    )
    assert literal == "'세종':1A '도시':2A,4B"


def test_compound_phrases_are_searched_as_one_indexed_term():
    """스마트 도시 is indexed also as one joined term and searched by it, so a
    broad phrase costs one list of documents, not a check of word positions;
    phrases outside the synonym table stay phrases."""
    from scis.search.query import with_compounds

    terms = analyze("세종 스마트도시 국가시범도시 계획")
    indexed = with_compounds(terms)
    assert indexed[: len(terms)] == terms
    assert {"스마트도시", "국가시범도시", "시범도시"} <= set(indexed[len(terms) :])
    compiled = SQLiteEngine().compile(parse("스마트도시의 계획"))
    assert '"스마트도시"' in compiled
    assert '"smartciti"' in compiled
    assert '"스마트 도시"' not in compiled
    assert '"도시 계획"' in SQLiteEngine().compile(parse('"도시 계획"'))
    assert "'스마트도시'" in PostgreSQLEngine().compile(parse("스마트도시"))
