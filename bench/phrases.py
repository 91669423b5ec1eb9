"""The words and sentence templates synthetic records are written from, in
Korean and English pairs (index i of each list means the same in both), with
the Korean particle rules the templates need."""

import string
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
    ("{subject:과} 시민 만족도의 관계", "{subject} and citizen satisfaction"),
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
# Korean particles as written after a consonant, with their form after a vowel.
_AFTER_VOWEL = {"은": "는", "이": "가", "을": "를", "과": "와", "으로": "로"}


def _particle(word: str, particle: str) -> str:
    last = word[-1]
    if not "가" <= last <= "힣":
        # Latin names (CCTV, LH, K-water) are read with a final vowel.
        return _AFTER_VOWEL[particle]
    final = (ord(last) - ord("가")) % 28
    if final == 0 or (particle == "으로" and final == 8):  # 8: ㄹ takes 로
        return _AFTER_VOWEL[particle]
    return particle


class Korean(str):
    """A Korean word that attaches the particle named in its format spec in
    the right form: "{subject:을}" gives "디지털 트윈을" but "스마트 주차를"."""

    __slots__ = ()

    def __format__(self, particle: str) -> str:
        return self + _particle(self, particle) if particle else str(self)


@dataclass(frozen=True)
class Template:
    ko: str
    en: str
    slots: tuple[str, ...]


def _blocks(text: str) -> list[tuple[str, str]]:
    """(Korean, English) pairs from blocks of two lines."""
    return [tuple(block.split("\n")) for block in text.strip().split("\n\n")]


def _templates(pairs: list[tuple[str, str]]) -> list[Template]:
    """Templates checked to have the same slots in both languages."""
    templates = []
    for ko, en in pairs:
        slots = [
            {n for _, n, _, _ in string.Formatter().parse(s) if n} for s in (ko, en)
        ]
        if slots[0] != slots[1]:
            raise ValueError(f"Korean and English slots differ: {ko} / {en}")
        templates.append(Template(ko, en, tuple(sorted(slots[0]))))
    return templates


# {subject:을} attaches 을 or 를 to the subject as Korean grammar needs (Korean).
SENTENCES = _templates(
    _blocks(
        """
{place}시는 {subject:을} 통해 시민 생활의 편의를 높이겠다고 {month}월 {day}일 밝혔다.
{place} said on {day} {month} that it would use {subject} to make daily life easier for residents.

{org:은} {year}년까지 {subject} 서비스를 전국 {units}개 도시로 확대할 계획이다.
{org} plans to extend {subject} services to {units} cities across the country by {year}.

이번 사업에는 {year}년까지 국비와 지방비를 합쳐 총 {budget}억 원이 투입된다.
The project will receive a total of {budget} won in national and local money by {year}.

{subject:과} {subject2:을} 연계한 통합 서비스는 {place}에서 {year}년 처음 실증된다.
A combined {subject} and {subject2} service will be trialled first in {place} in {year}.

{org} {person} {role:은} "{subject:은} 도시 문제를 푸는 핵심 수단이 될 것"이라고 강조했다.
"{subject} will be a key tool for solving urban problems," stressed {person}, {role} at {org}.

{place} 주민 {count}명이 참여하는 시민 리빙랩에서 {subject}의 실효성을 검증할 예정이다.
A living lab with {count} {place} residents will test whether {subject} works in practice.

{place} 주민 {count}명을 대상으로 한 설문에서 응답자의 {pct}%가 서비스에 만족한다고 답했다.
In a survey of {count} {place} residents, {pct}% said they were satisfied with the service.

수집된 데이터 {uses}건은 {month}월부터 공공데이터포털을 통해 누구나 내려받을 수 있도록 공개된다.
From {month} the {uses} records collected will be published on the public data portal for anyone to download.

{year}년 상반기에는 {subject2} 분야 추가 과제 {units}건을 공모할 예정이다.
A further {units} {subject2} projects will be put out to competition in the first half of {year}.

{month}월 {day}일 열린 {subject} 토론회에서 전문가들은 개인정보 보호와 운영비 부담을 함께 따져야 한다고 조언했다.
At a debate on {subject} on {day} {month}, experts advised weighing privacy protection against running costs.

{place}의 사례는 인구 {pop}만 명 안팎의 중소도시에도 적용할 수 있는 모델로 평가받는다.
{place}'s experience is seen as a model for mid-sized cities of around {pop} people.

사업이 마무리되면 {place} 도심의 교통 혼잡이 약 {pct}% 줄어들 것으로 예상된다.
Once complete, the project is expected to cut congestion in central {place} by about {pct}%.

정부는 {year}년까지 법령 {units}건을 정비해 {subject} 확산을 가로막는 규제를 개선하기로 했다.
The government will amend {units} laws and regulations by {year} to remove obstacles to {subject}.

운영 첫해 동안 {uses}건의 서비스 이용 기록이 쌓였다.
{uses} service uses were logged in the first year of operation.

{org:은} {month}월 {day}일 {place}에서 {subject} 관련 업무협약을 체결했다.
{org} signed a {subject} partnership agreement in {place} on {day} {month}.

협약에 따라 두 기관은 {year}년까지 {budget}억 원을 들여 {subject} 데이터 공유와 공동 연구를 추진한다.
Under the agreement the two bodies will spend {budget} won until {year} on sharing {subject} data and on joint research.

{place}시는 {month}월부터 {units}개 구역에서 {subject} 시범 운영에 들어간다.
{place} will start a {subject} pilot in {units} districts from {month}.

시범 운영 기간인 {month}월 {day}일까지는 이용 요금이 무료이며 {place} 시민 누구나 신청할 수 있다.
The service is free until {day} {month}, while the pilot lasts, and anyone living in {place} may sign up.

{org}에 따르면 지난해 {subject} 관련 민원은 전년보다 {pct}% 감소했다.
According to {org}, complaints about {subject} fell by {pct}% last year.

{org} {person} {role:은} "주민들이 일상에서 변화를 체감할 수 있도록 하겠다"고 말했다.
"We will make sure residents feel the difference in their daily lives," said {person}, {role} at {org}.

{place}시는 {month}월까지 실증 결과를 분석해 {year}년 {subject} 본사업 추진 여부를 결정할 계획이다.
{place} will analyse the trial's results by {month} and then decide whether to launch a full {subject} programme in {year}.

{place}시 종합상황실은 하루 평균 {uses}건의 현장 데이터를 처리하고 있다.
{place}'s city control room handles an average of {uses} items of field data a day.

이 가운데 {pct}%는 교통 분야 데이터이며 {units}개 기관이 {mins}분 간격으로 함께 쓴다.
Of these, {pct}% concern transport, and {units} agencies share them every {mins} minutes.

{org:은} 지난 {month}월 공모를 거쳐 {place} 등 {units}개 지방자치단체를 대상지로 선정했다.
{org} chose {units} local governments, {place} among them, through a competition held in {month}.

선정된 지방자치단체에는 {year}년까지 각각 최대 {budget}억 원의 국비가 지원된다.
Each local government chosen will receive up to {budget} won of national funding until {year}.

{subject} 도입 이후 {place} 시민의 평균 출퇴근 시간은 {mins}분가량 줄었다.
Since {subject} was introduced, the average commute in {place} has become about {mins} minutes shorter.

다만 설문 응답자의 {pct}%는 {subject} 서비스의 안전성과 소음 문제에 대해 우려를 나타냈다.
However, {pct}% of respondents voiced concerns about the safety of the {subject} service and the noise it makes.

이에 대해 {place}시는 {month}월 {day}일 주민설명회를 열어 의견을 듣겠다고 밝혔다.
{place} said it would hold a residents' meeting on {day} {month} to hear their views.

{org} 관계자는 "{place}의 {subject} 경험이 다른 지방자치단체로 퍼질 수 있도록 지원하겠다"고 전했다.
"We will help other local governments learn from {place}'s experience with {subject}," an official at {org} said.

이번 사업은 {org}, {org2:과} 지역 기업 {units}곳이 컨소시엄을 꾸려 수행한다.
The project is carried out by a consortium of {org}, {org2} and {units} local firms.

{place}시는 {year}년 스마트도시 조성 사업 공모에서 {units}개 지방자치단체와 경쟁해 최종 대상지로 뽑힌 바 있다.
{place} was picked as a final site in the {year} smart city development competition, beating {units} other local governments.

시는 {subject} 운영 과정에서 쌓인 데이터 {uses}건을 인공지능 분석에 활용할 방침이다.
The city intends to feed {uses} records gathered while running its {subject} service into AI analysis.

{subject} 실증에는 {place} 시민 {count}명이 체험단으로 참여했다.
{count} {place} residents took part in the {subject} trial as testers.

체험단 {count}명 가운데 {pct}%는 앞으로도 서비스를 계속 이용하겠다고 응답했다.
Of the {count} testers, {pct}% said they would keep using the service.

{org2:은} {subject} 사업 성과를 분석한 연구 보고서를 {year}년 {month}월 펴낼 예정이다.
{org2} will publish a research report on the results of the {subject} project in {month} {year}.

{org2}의 앞선 분석에서는 {subject}의 비용 대비 편익이 {ratio}배로 추정됐다.
An earlier analysis by {org2} put the benefits of {subject} at {ratio} times its cost.

한편 {place2}시도 {year}년부터 비슷한 방식으로 {subject:을} 도입하는 방안을 검토하고 있다.
Meanwhile {place2} is also considering introducing {subject} along similar lines from {year}.

{place}시는 노후 기반시설 {units}곳에 사물인터넷 센서를 달아 상태를 실시간으로 점검한다.
{place} is fitting IoT sensors to {units} ageing facilities to check their condition in real time.

센서 설치 이후 시설 고장 신고는 {pct}% 줄었고 보수 비용도 {budget}억 원가량 절감됐다.
Since the sensors went in, fault reports have fallen by {pct}% and repair costs by about {budget} won.

{place}시는 {month}월부터 디지털 취약계층 {count}명을 위한 교육 프로그램 {units}개 과정도 함께 운영한다.
From {month} {place} will also run {units} digital skills courses for {count} residents who need them.

{org:은} {subject} 표준 모델을 마련해 {year}년부터 지방자치단체에 보급할 계획이다.
{org} plans to draw up a standard model for {subject} and offer it to local governments from {year}.

{org} {person} {role:은} "{subject:은} 기술보다 시민 참여가 성패를 가른다"고 말했다.
"With {subject}, public participation matters more than technology," said {person}, {role} at {org}.

업계에서는 국내 {subject} 시장 규모가 {year}년 {trillion}조 원에 이를 것으로 내다본다.
The industry expects the Korean market for {subject} to reach {trillion} trillion won by {year}.

시는 {month}월 {day}일부터 누리집에서 {subject} 서비스 이용 신청을 받는다.
The city will take applications for the {subject} service on its website from {day} {month}.

사업 기간은 {year}년까지이며 이후에는 {place}시가 자체 예산으로 운영을 이어 간다.
The project runs until {year}, after which {place} will keep it going from its own budget.

{place} 지역 대학과 연구기관도 {subject} 전문 인력 {count}명을 키우는 데 힘을 보탠다.
Universities and research institutes in {place} will help train {count} specialists in {subject}.

시민들은 {subject} 도입으로 {mins}분 넘게 걸리던 민원 처리가 크게 빨라졌다고 평가했다.
Residents say {subject} has sped up requests that used to take more than {mins} minutes.

이번 성과는 {month}월 {venue}에서 열린 {year} 스마트도시 성과 공유회에서 발표됐다.
The results were presented at the {year} smart city showcase held at {venue} in {month}.

{place}시는 {subject} 운영 인력 {count}명을 {month}월까지 새로 채용한다.
{place} will hire {count} new staff to run {subject} by {month}.

{org:은} 이달 중 {subject} 성과 평가를 마치고 우수 지방자치단체 {units}곳을 발표한다.
{org} will finish assessing {subject} this month and name the {units} best-performing local governments.
"""
    )
)
# Lines real press releases repeat word for word at the foot of every release.
BOILERPLATE = _templates(
    _blocks(
        """
자세한 내용은 {org} 누리집에서 확인할 수 있다.
Details are available on the website of {org}.

문의: {org} 대변인실
Enquiries: press office, {org}.

이 보도자료는 {org} 누리집 보도자료 게시판에서 내려받을 수 있다.
This press release can be downloaded from the press section of the website of {org}.
"""
    )
)

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


ORGS = [
    ("국토교통부", "the Ministry of Land, Infrastructure and Transport"),
    ("과학기술정보통신부", "the Ministry of Science and ICT"),
    ("행정안전부", "the Ministry of the Interior and Safety"),
    ("한국토지주택공사", "LH"),
    ("국토연구원", "KRIHS"),
    ("건축공간연구원", "AURI"),
    ("한국수자원공사", "K-water"),
    ("한국지능정보사회진흥원", "NIA"),
    ("한국교통연구원", "the Korea Transport Institute"),
    ("정보통신산업진흥원", "NIPA"),
    ("한국도로공사", "the Korea Expressway Corporation"),
]
ROLES = [
    ("과장", "division head"),
    ("국장", "director-general"),
    ("연구위원", "research fellow"),
    ("팀장", "team leader"),
    ("센터장", "centre director"),
    ("본부장", "head of department"),
]
MONTHS = [
    (str(number), name)
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]
# Slots filled with a number in a range, the same digits in both languages.
NUMBER_RANGES = {
    "units": (2, 30),
    "count": (30, 3_000),
    "uses": (1_000, 250_000),
    "pct": (3, 60),
    "mins": (3, 40),
    "trillion": (1, 60),
    "day": (1, 28),
}
STUDY_TEMPLATES, DOCUMENT_TEMPLATES, EVENT_TEMPLATES, PROJECT_TEMPLATES = map(
    _templates, (STUDY_TITLES, DOCUMENT_TITLES, EVENT_TITLES, PROJECT_TITLES)
)
