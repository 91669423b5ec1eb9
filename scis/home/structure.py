"""The fixed skeleton of the portal: locales, the home page in both languages
and the index pages every record is filed under. Idempotent: it only adds
what is missing, so it is safe on an existing site."""

from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale, Page, Site

from scis.about.models import DefinitionIndexPage, StandardPage
from scis.events.models import EventIndexPage
from scis.library.models import DocumentIndexPage, LiteratureIndexPage
from scis.news.models import NewsIndexPage
from scis.newsletter.models import NewsletterIndexPage
from scis.projects.models import PolicyIndexPage, ProjectsIndexPage

from .models import HomePage, RecordIndexPage


@dataclass
class Node:
    slug: str
    model: type[Page]
    title: dict[str, str]
    introduction: dict[str, str] = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    in_menu: bool = False
    children: list["Node"] = field(default_factory=list)


HOME = Node(
    "home",
    HomePage,
    {"ko": "스마트도시 정보시스템", "en": "Smart City Information System"},
    {
        "ko": "스마트도시 정책을 추진하며 만들어지는 정책·사업·연구·행사 정보를 "
        "한곳에 모아 누구나 찾아보고 활용할 수 있게 합니다.",
        "en": "Policy, projects, research and events from Korea's smart city "
        "programmes, gathered in one place for everyone to find and reuse.",
    },
)

TREE = [
    Node(
        "news",
        NewsIndexPage,
        {"ko": "소식", "en": "News"},
        {
            "ko": "국토교통부와 관계 기관, 지방자치단체가 발표한 스마트도시 소식입니다.",
            "en": "Smart city news from the ministry, its agencies and local governments.",
        },
        in_menu=True,
        children=[
            Node(
                "issue",
                NewsIndexPage,
                {"ko": "스마트도시 이슈", "en": "Smart City Issue"},
                {
                    "ko": "정부의 주요 발표와 결정을 전합니다.",
                    "en": "Major government announcements and decisions.",
                },
                {"section": "issue"},
            ),
            Node(
                "policy-project",
                NewsIndexPage,
                {"ko": "정책 사업", "en": "Policy Projects"},
                {
                    "ko": "스마트도시 사업의 공모, 선정, 성과 소식입니다.",
                    "en": "Calls, selections and results of smart city programmes.",
                },
                {"section": "policy-project"},
            ),
            Node(
                "policy-trend",
                NewsIndexPage,
                {"ko": "정책 동향", "en": "Policy Trends"},
                {
                    "ko": "지방자치단체와 관계 기관의 스마트도시 동향입니다.",
                    "en": "What local governments and agencies are doing.",
                },
                {"section": "policy-trend"},
            ),
            Node(
                "special",
                NewsIndexPage,
                {"ko": "스페셜", "en": "Special"},
                {
                    "ko": "기획 기사와 해설, 영상으로 보는 스마트도시입니다.",
                    "en": "Features, explainers and videos.",
                },
                {"section": "special"},
            ),
        ],
    ),
    Node(
        "projects",
        ProjectsIndexPage,
        {"ko": "사업", "en": "Projects"},
        {
            "ko": "스마트도시 사업과 그 안의 과제를 지도와 통계로 살펴봅니다. "
            "어느 도시가 언제 선정되어 얼마의 예산으로 어느 단계에 있는지 확인할 수 있습니다.",
            "en": "Smart city programmes and their projects, on a map and in figures: "
            "which city was chosen when, with what budget, and at what stage.",
        },
        in_menu=True,
    ),
    Node(
        "policies",
        PolicyIndexPage,
        {"ko": "정책 아카이브", "en": "Policy archive"},
        {
            "ko": "U-City 시기부터 제4차 스마트도시 종합계획과 그 이후까지, 과거·현재·예정 "
            "정책과 사업을 하나의 연표로 봅니다.",
            "en": "Past, current and planned policies and programmes on one timeline, "
            "from the U-City era to the 4th Smart City Comprehensive Plan and beyond.",
        },
        in_menu=True,
    ),
    Node(
        "literature",
        LiteratureIndexPage,
        {"ko": "연구·문헌", "en": "Literature"},
        {
            "ko": "스마트도시에 관한 국내외 연구 논문과 보고서입니다.",
            "en": "Research papers and reports on smart cities.",
        },
        in_menu=True,
    ),
    Node(
        "events",
        EventIndexPage,
        {"ko": "행사", "en": "Events"},
        {
            "ko": "스마트도시 관련 박람회, 포럼, 세미나 일정입니다.",
            "en": "Expos, forums and seminars on smart cities.",
        },
        in_menu=True,
    ),
    Node(
        "documents",
        DocumentIndexPage,
        {"ko": "자료실", "en": "Documents"},
        {
            "ko": "계획, 지침, 브로슈어 등 내려받을 수 있는 자료입니다.",
            "en": "Plans, guidelines, brochures and other publications to download.",
        },
        in_menu=True,
    ),
    Node(
        "records",
        RecordIndexPage,
        {"ko": "전체 기록", "en": "All records"},
        {
            "ko": "모든 유형의 기록을 지역, 사업, 분야, 기관, 연도로 찾아봅니다.",
            "en": "Every record of every type, by region, programme, topic, "
            "organisation and year.",
        },
        in_menu=True,
    ),
    Node(
        "newsletter",
        NewsletterIndexPage,
        {"ko": "뉴스레터", "en": "Newsletter"},
        {
            "ko": "매달 첫째 주에 한 달 동안의 스마트도시 정책, 사업, 연구, 행사 소식을 "
            "모아 보내 드립니다. 지난 호도 모두 여기에서 읽을 수 있습니다.",
            "en": "Every month we gather the month's smart city policy, projects, "
            "research and events into one issue. Every past issue can be read here.",
        },
    ),
    Node(
        "about",
        StandardPage,
        {"ko": "소개", "en": "About"},
        in_menu=True,
        children=[
            Node(
                "what-is-a-smart-city",
                DefinitionIndexPage,
                {"ko": "스마트도시란?", "en": "What is a smart city?"},
            ),
            Node(
                "history",
                StandardPage,
                {"ko": "스마트도시의 발전", "en": "Development of smart cities"},
            ),
            Node(
                "information-system",
                StandardPage,
                {"ko": "정보시스템 소개", "en": "About the information system"},
            ),
        ],
    ),
]


def ensure_locales() -> tuple[Locale, Locale]:
    ko, _created = Locale.objects.get_or_create(language_code="ko")
    en, _created = Locale.objects.get_or_create(language_code="en")
    return ko, en


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def translate(page: Page, locale: Locale, **values) -> Page:
    """The page's live translation in `locale`, created when missing."""
    existing = page.get_translations().filter(locale=locale).first()
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale)
    for name, value in values.items():
        setattr(translated, name, value)
    return publish(translated)


def _ensure_child(parent: Page, node: Node, ko: Locale, en: Locale) -> Page:
    page = parent.get_children().filter(slug=node.slug, locale=ko).first()
    if page is None:
        page = node.model(
            title=node.title["ko"],
            slug=node.slug,
            locale=ko,
            show_in_menus=node.in_menu,
            **node.fields,
        )
        if hasattr(page, "introduction"):
            page.introduction = node.introduction.get("ko", "")
        parent.add_child(instance=page)
        publish(page)
    page = page.specific
    values = {"title": node.title["en"]}
    if hasattr(page, "introduction"):
        values["introduction"] = node.introduction.get("en", "")
    translate(page, en, **values)
    for child in node.children:
        _ensure_child(page, child, ko, en)
    return page


@transaction.atomic
def ensure_site_structure() -> HomePage:
    """Create what is missing of the home pages and index pages."""
    ko, en = ensure_locales()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=ko, depth=2).first()
    if home is None:
        # Wagtail's placeholder welcome page gives way to the real home page.
        for page in root.get_children().filter(content_type__model="page"):
            page.delete()
        home = HomePage(
            title=HOME.title["ko"],
            slug=HOME.slug,
            locale=ko,
            introduction=HOME.introduction["ko"],
        )
        root.add_child(instance=home)
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="SCIS",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    translate(home, en, title=HOME.title["en"], introduction=HOME.introduction["en"])
    for node in TREE:
        _ensure_child(home, node, ko, en)
    return home
