"""Korean and English placeholder prose for synthetic records, built offline
from paired word lists so a record's two language versions say the same thing.

Sentences are drawn from a pool made once per run: building 100,000 bodies
word by word would cost more than inserting them.
"""

import random
from dataclasses import dataclass

# (Korean, English) pairs; index i of each list means the same in both.
PLACES = [
    ("서울", "Seoul"),
    ("부산", "Busan"),
    ("세종", "Sejong"),
    ("대구", "Daegu"),
    ("인천", "Incheon"),
    ("광주", "Gwangju"),
    ("대전", "Daejeon"),
    ("울산", "Ulsan"),
    ("수원", "Suwon"),
    ("시흥", "Siheung"),
    ("김해", "Gimhae"),
    ("고양", "Goyang"),
    ("창원", "Changwon"),
    ("전주", "Jeonju"),
    ("춘천", "Chuncheon"),
    ("제주", "Jeju"),
    ("포항", "Pohang"),
    ("안양", "Anyang"),
    ("화성", "Hwaseong"),
    ("청주", "Cheongju"),
]
SUBJECTS = [
    ("스마트도시", "smart city"),
    ("데이터 허브", "data hub"),
    ("디지털 트윈", "digital twin"),
    ("자율주행 셔틀", "autonomous shuttle"),
    ("스마트도시 통합플랫폼", "integrated city platform"),
    ("스마트 교통", "smart mobility"),
    ("스마트 안전망", "smart safety network"),
    ("에너지 관리 시스템", "energy management system"),
    ("탄소중립 도시", "carbon-neutral city"),
    ("시민참여 리빙랩", "citizen living lab"),
    ("도시 데이터 개방", "open city data"),
    ("드론 배송", "drone delivery"),
    ("수요응답형 버스", "demand-responsive bus"),
    ("스마트 횡단보도", "smart crosswalk"),
    ("공유 모빌리티", "shared mobility"),
    ("스마트 주차", "smart parking"),
    ("지능형 CCTV", "intelligent CCTV"),
    ("스마트 물관리", "smart water management"),
    ("도시통합운영센터", "urban operations centre"),
    ("규제 샌드박스", "regulatory sandbox"),
    ("스마트 그린산단", "smart green industrial complex"),
    ("도심항공교통", "urban air mobility"),
    ("스마트 빌리지", "smart village"),
    ("공공 와이파이", "public Wi-Fi"),
]
ACTIONS = [
    ("사업 본격 추진", "programme gets under way"),
    ("시범 운영 시작", "pilot service begins"),
    ("공모 결과 발표", "competition results announced"),
    ("성과 보고회 개최", "results presented"),
    ("기본계획 수립", "master plan drawn up"),
    ("업무협약 체결", "partnership agreement signed"),
    ("실증 착수", "trial starts"),
    ("대상지 선정", "sites selected"),
    ("서비스 확대", "service expanded"),
    ("국비 확보", "national funding secured"),
    ("주민설명회 개최", "residents briefed"),
    ("운영 성과 공개", "operating results published"),
]
STUDY_TITLES = [
    ("{subject}의 도시 적용 효과 분석", "Effects of {subject} in Korean cities"),
    ("{place} {subject} 도입 과정 연구", "How {place} adopted {subject}"),
    ("{subject} 거버넌스 개선 방안", "Improving the governance of {subject}"),
    ("{subject}와 시민 만족도의 관계", "{subject} and citizen satisfaction"),
    ("{subject} 표준화 동향과 과제", "Standards for {subject}: trends and tasks"),
]
DOCUMENT_TITLES = [
    ("{year} {subject} 추진 안내서", "{year} guide to {subject}"),
    ("{place} {subject} 기본계획", "{place} master plan for {subject}"),
    ("{subject} 운영 지침", "Operating guidelines for {subject}"),
    ("{year} 스마트도시 사업 성과 보고서", "{year} smart city programme report"),
    ("{subject} 홍보 브로슈어", "{subject} brochure"),
]
EVENT_TITLES = [
    ("{year} {subject} 국제 포럼", "{year} International Forum on {subject}"),
    ("{place} {subject} 세미나", "{place} seminar on {subject}"),
    ("{subject} 정책 토론회", "Policy debate: {subject}"),
    ("{year} 월드 스마트시티 엑스포", "World Smart City Expo {year}"),
    ("{subject} 웨비나", "Webinar: {subject}"),
]
# A project is named after its city: {place} is the city's name.
PROJECT_TITLES = [
    ("{place} {subject} 서비스 구축", "{subject} service for {place}"),
    ("{place} {subject} 실증사업", "{place} {subject} trial"),
    ("{place} {subject} 확산 사업", "Scaling up {subject} in {place}"),
    ("{place} {subject} 플랫폼 조성", "{place} {subject} platform"),
    ("{place} 시민 체감형 {subject}", "Resident-led {subject} in {place}"),
]
# Project outcomes: indicator and unit, each as (Korean, English), and the
# range a baseline value falls in.
OUTCOMES = [
    (("평균 대기시간", "Average waiting time"), ("분", "minutes"), (10, 80)),
    (("서비스 이용 건수", "Service uses"), ("건", "uses"), (1_000, 90_000)),
    (("주차장 회전율", "Parking turnover"), ("%", "%"), (20, 95)),
    (("교통사고 건수", "Traffic accidents"), ("건", "accidents"), (5, 300)),
    (("에너지 사용량", "Energy use"), ("MWh", "MWh"), (100, 9_000)),
    (("시민 만족도", "Resident satisfaction"), ("점", "points"), (50, 95)),
]
SENTENCES = [
    (
        "{place}시는 {subject} 사업을 통해 시민 생활의 편의를 높이고 있다.",
        "{place} is using its {subject} programme to make daily life easier for residents.",
    ),
    (
        "국토교통부는 {year}년까지 {subject} 서비스를 전국으로 확대할 계획이라고 밝혔다.",
        "The ministry said it plans to extend {subject} services nationwide by {year}.",
    ),
    (
        "이번 사업에는 총 {n}억 원의 예산이 투입되며 지방자치단체와 민간 기업이 함께 참여한다.",
        "The project has a budget of {n} hundred million won, shared by local government and private firms.",
    ),
    (
        "{subject}와 {subject2}를 연계한 통합 서비스는 {place}에서 처음으로 실증된다.",
        "A joint {subject} and {subject2} service will be trialled first in {place}.",
    ),
    (
        "관계자는 {subject}가 도시 문제를 해결하는 핵심 수단이 될 것이라고 강조했다.",
        "Officials stressed that {subject} would be a key tool for solving urban problems.",
    ),
    (
        "시민 참여형 리빙랩을 통해 {subject}의 실효성을 검증할 예정이다.",
        "A citizen living lab will test whether {subject} works in practice.",
    ),
    (
        "{place} 지역 주민 {n}명이 설문에 참여해 서비스 만족도를 평가했다.",
        "{n} residents of {place} took part in a survey rating the service.",
    ),
    (
        "수집된 데이터는 도시 데이터 허브를 통해 누구나 활용할 수 있도록 개방된다.",
        "The data collected will be opened through the city data hub for anyone to reuse.",
    ),
    (
        "{year}년 상반기에는 {subject2} 분야의 추가 과제가 공모될 예정이다.",
        "Further {subject2} projects will be put out to competition in the first half of {year}.",
    ),
    (
        "전문가들은 개인정보 보호와 서비스 지속성을 함께 고려해야 한다고 조언했다.",
        "Experts advised weighing privacy protection and the long-term running of the service together.",
    ),
    (
        "{place}의 사례는 다른 중소도시에도 적용할 수 있는 모델로 평가받고 있다.",
        "{place}'s experience is seen as a model other mid-sized cities can follow.",
    ),
    (
        "사업이 완료되면 교통 혼잡이 약 {pct}% 줄어들 것으로 예상된다.",
        "Once complete, the project is expected to cut congestion by about {pct}%.",
    ),
    (
        "정부는 관련 법령을 정비해 {subject} 확산의 걸림돌을 없애기로 했다.",
        "The government will revise the regulations that stand in the way of {subject}.",
    ),
    (
        "운영 첫해 동안 {n}건 이상의 서비스 이용 기록이 축적되었다.",
        "More than {n} service uses were recorded in the first year of operation.",
    ),
]
SURNAMES = [
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
    ("장", "Jang"),
    ("임", "Lim"),
]
GIVEN_NAMES = [
    ("민준", "Min-jun"),
    ("서연", "Seo-yeon"),
    ("지훈", "Ji-hoon"),
    ("하은", "Ha-eun"),
    ("도윤", "Do-yun"),
    ("수빈", "Su-bin"),
    ("현우", "Hyun-woo"),
    ("지민", "Ji-min"),
    ("예준", "Ye-jun"),
    ("유진", "Yu-jin"),
]
AFFILIATIONS = [
    ("건축도시공간연구소", "Architecture & Urban Research Institute"),
    ("국토연구원", "Korea Research Institute for Human Settlements"),
    ("한국교통연구원", "Korea Transport Institute"),
    ("서울대학교", "Seoul National University"),
    ("KAIST", "KAIST"),
    ("한국토지주택공사", "Korea Land and Housing Corporation"),
]
JOURNALS = [
    ("한국도시설계학회지", "Journal of the Urban Design Institute of Korea"),
    ("국토계획", "Journal of Korea Planning Association"),
    ("대한건축학회 논문집", "Journal of the Architectural Institute of Korea"),
    ("건축도시공간연구소 연구보고서", "AURI Research Report"),
    ("Sustainable Cities and Society", "Sustainable Cities and Society"),
    ("Cities", "Cities"),
]
VENUES = [
    ("킨텍스", "KINTEX"),
    ("벡스코", "BEXCO"),
    ("코엑스", "COEX"),
    ("세종컨벤션센터", "Sejong Convention Center"),
    ("대전컨벤션센터", "Daejeon Convention Center"),
    ("온라인", "Online"),
]


@dataclass
class Texts:
    """One record's prose in both languages."""

    title: tuple[str, str]
    summary: tuple[str, str]
    body: tuple[str, str]


class ProseGenerator:
    """Seeded source of titles, summaries and bodies in Korean and English."""

    POOL_SIZE = 2000

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pool = [self._sentence() for _ in range(self.POOL_SIZE)]

    def _fill(self) -> dict[str, tuple[str, str]]:
        rng = self.rng
        year = str(rng.randint(2018, 2030))
        n = str(rng.randint(3, 900))
        pct = str(rng.randint(5, 40))
        return {
            "place": rng.choice(PLACES),
            "subject": rng.choice(SUBJECTS),
            "subject2": rng.choice(SUBJECTS),
            "year": (year, year),
            "n": (n, n),
            "pct": (pct, pct),
        }

    def _render(self, template: tuple[str, str], **fixed) -> tuple[str, str]:
        values = {**self._fill(), **fixed}
        return (
            template[0].format(**{k: v[0] for k, v in values.items()}),
            template[1].format(**{k: v[1] for k, v in values.items()}),
        )

    def _sentence(self) -> tuple[str, str]:
        return self._render(self.rng.choice(SENTENCES))

    def _paragraphs(self, low: int, high: int) -> tuple[str, str]:
        rng = self.rng
        paragraphs = [
            rng.choices(self.pool, k=rng.randint(3, 6))
            for _ in range(rng.randint(low, high))
        ]

        def html(lang: int) -> str:
            return "".join(
                "<p>" + " ".join(s[lang] for s in paragraph) + "</p>"
                for paragraph in paragraphs
            )

        return html(0), html(1)

    def title(self, kind: str, place: tuple[str, str] | None = None) -> tuple[str, str]:
        rng = self.rng
        if kind == "project" and place is not None:
            ko, en = self._render(rng.choice(PROJECT_TITLES), place=place)
            return ko, en[:1].upper() + en[1:]
        if kind == "news":
            place, subject, action = (
                rng.choice(PLACES),
                rng.choice(SUBJECTS),
                rng.choice(ACTIONS),
            )
            return (
                f"{place[0]}, {subject[0]} {action[0]}",
                f"{place[1]}: {subject[1]} {action[1]}",
            )
        templates = {
            "literature": STUDY_TITLES,
            "document": DOCUMENT_TITLES,
            "event": EVENT_TITLES,
            "project": PROJECT_TITLES,
        }[kind]
        ko, en = self._render(rng.choice(templates))
        return ko, en[:1].upper() + en[1:]

    def record(self, kind: str, place: tuple[str, str] | None = None) -> Texts:
        """Title, summary (2–3 sentences) and body (3–8 paragraphs); `place`
        names a project's city in its title."""
        summary = self.rng.choices(self.pool, k=self.rng.randint(2, 3))
        return Texts(
            title=self.title(kind, place),
            summary=(" ".join(s[0] for s in summary), " ".join(s[1] for s in summary)),
            body=self._paragraphs(3, 8),
        )

    def extracted_text(self) -> tuple[str, str]:
        """Plain text standing in for what a PDF's pages would yield (~2–6 KB)."""
        sentences = self.rng.choices(self.pool, k=self.rng.randint(25, 60))
        return " ".join(s[0] for s in sentences), " ".join(s[1] for s in sentences)

    def person(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """A (name, affiliation) pair, each as (Korean, English)."""
        surname, given = self.rng.choice(SURNAMES), self.rng.choice(GIVEN_NAMES)
        name = (surname[0] + given[0], f"{surname[1]} {given[1]}")
        return name, self.rng.choice(AFFILIATIONS)
