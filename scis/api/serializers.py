"""How records and taxonomy terms look in the API. One serializer per record
type, each adding its own fields to the ones every record carries."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from scis.core.records import record_type_key


class SelectableFieldsMixin:
    """Keeps only the fields a client asked for with `?fields=` (the
    `fields` context entry), or drops the long ones a list leaves out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any field may be left out, so the schema marks none as required.
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.required = False
        context = kwargs.get("context", {})
        wanted = context.get("fields")
        if wanted:
            for name in list(self.fields):  # type: ignore[attr-defined]
                if name not in wanted:
                    self.fields.pop(name)  # type: ignore[attr-defined]
        elif context.get("brief"):
            for name in getattr(self.Meta, "long_fields", ()):  # type: ignore[attr-defined]
                self.fields.pop(name, None)  # type: ignore[attr-defined]


class ErrorSerializer(serializers.Serializer):
    """A refused request: `detail` says why, or each bad parameter is a key
    whose value says what to send instead."""

    detail = serializers.CharField(required=False)


class TermSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text="Name in the reading language")


@extend_schema_field(TermSerializer(many=True))
class TermsField(serializers.Field):
    """A record's terms of one taxonomy, looked up for the whole answer at
    once (the `terms` context entry, see terms.py)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        return self.context["terms"].get(page.pk, {}).get(self.field_name, [])


class ProvenanceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="typed, imported or harvested")
    original_url = serializers.CharField(allow_blank=True)
    source_id = serializers.CharField(
        allow_blank=True, help_text="GUID or id in the system it came from"
    )


class RichTextField(serializers.CharField):
    """Wagtail rich text as HTML, with internal links made real URLs."""

    def to_representation(self, value):
        return expand_db_html(value or "")


class FileURLField(serializers.CharField):
    """The absolute URL of a Wagtail document or image rendition, or null."""

    def to_representation(self, value):
        if value is None:
            return None
        request = self.context.get("request")
        url = value.url if hasattr(value, "url") else value.file.url
        return request.build_absolute_uri(url) if request else url


class RecordSerializer(SelectableFieldsMixin, serializers.Serializer):
    """The fields every record carries (DESIGN.md §3)."""

    id = serializers.IntegerField(
        source="pk", help_text="Page id; /id/<id>/ is its permanent URL"
    )
    type = serializers.SerializerMethodField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    permalink = serializers.SerializerMethodField()
    date = serializers.DateField()
    language = serializers.SerializerMethodField(
        help_text="Language the record is written in"
    )
    translated = serializers.SerializerMethodField(
        help_text="False when shown in the other language for want of a translation"
    )
    translation_key = serializers.UUIDField(
        help_text="Shared by a record and its translation"
    )
    summary = serializers.CharField()
    organisations = TermsField()
    regions = TermsField()
    programmes = TermsField()
    topics = TermsField()
    provenance = serializers.SerializerMethodField()
    last_published_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        long_fields: tuple[str, ...] = ()

    def get_type(self, page) -> str:
        return record_type_key(type(page))

    def get_url(self, page) -> str:
        return self.context["request"].build_absolute_uri(page.url)

    def get_permalink(self, page) -> str:
        return self.context["request"].build_absolute_uri(f"/id/{page.pk}/")

    def get_language(self, page) -> str:
        return page.locale.language_code

    def get_translated(self, page) -> bool:
        reading = self.context.get("language") or get_language()
        return page.locale.language_code == reading

    @staticmethod
    def get_provenance(page) -> ProvenanceSerializer:
        return {  # type: ignore[return-value]
            "kind": page.provenance,
            "original_url": page.original_url,
            "source_id": page.source_id,
        }


class NewsSerializer(RecordSerializer):
    section = serializers.CharField()
    body = RichTextField()
    image = FileURLField(allow_null=True)
    photo_credit = serializers.CharField()
    video_url = serializers.CharField()
    projects = serializers.SerializerMethodField(
        help_text="Ids of the projects the item is about"
    )

    class Meta:
        long_fields = ("body",)

    def get_projects(self, page) -> list[int]:
        return [project.pk for project in page.projects.all()]


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField()
    affiliation = serializers.CharField()


class LiteratureSerializer(RecordSerializer):
    authors = AuthorSerializer(many=True)
    abstract = RichTextField(source="body")
    venue = serializers.CharField()
    year = serializers.IntegerField()
    doi = serializers.CharField()
    external_url = serializers.CharField()
    keywords = serializers.ListField(
        source="keyword_list", child=serializers.CharField()
    )
    pdf = FileURLField(allow_null=True)

    class Meta:
        long_fields = ("abstract",)


class EventSerializer(RecordSerializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    mode = serializers.CharField(help_text="offline, online or hybrid")
    venue = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    organiser = serializers.CharField()
    contact = serializers.CharField()
    registration_url = serializers.CharField()
    body = RichTextField()

    class Meta:
        long_fields = ("body",)


class DocumentSerializer(RecordSerializer):
    kind = serializers.CharField()
    year = serializers.IntegerField()
    body = RichTextField()
    file = FileURLField(allow_null=True)

    class Meta:
        long_fields = ("body",)


class DefinitionSerializer(RecordSerializer):
    source_name = serializers.CharField()
    country_code = serializers.CharField()
    body = RichTextField(help_text="The definition")
    citation = serializers.CharField()
    citation_url = serializers.CharField()

    class Meta:
        long_fields = ("body",)


@extend_schema_field({"type": "string", "nullable": True})
class SlugField(serializers.Field):
    """A taxonomy term named by its slug."""

    def __init__(self, **kwargs):
        kwargs.pop("allow_null", None)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.slug if value is not None else None

    def get_attribute(self, instance):
        return getattr(instance, self.source, None)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugsField(serializers.Field):
    """Taxonomy terms named by their slugs."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [term.slug for term in value.all()]


class ProgrammeSerializer(RecordSerializer):
    programme = SlugField(help_text="The programme's taxonomy slug")
    status = serializers.CharField(help_text="past, current or planned")
    legal_basis = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    budget = serializers.IntegerField(allow_null=True, help_text="Won")
    body = RichTextField()

    class Meta:
        long_fields = ("body",)


class OutcomeSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    baseline = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False
    )
    unit = serializers.CharField()
    measured_on = serializers.DateField(allow_null=True)


class ProjectSerializer(RecordSerializer):
    programme = SlugField()
    cohort_year = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField(help_text="preliminary, main or completed")
    city = SlugField(help_text="Region slug of the municipality")
    lead_organisation = SlugField()
    partners = SlugsField()
    budget_national = serializers.IntegerField(allow_null=True, help_text="Won")
    budget_local = serializers.IntegerField(allow_null=True, help_text="Won")
    budget_private = serializers.IntegerField(allow_null=True, help_text="Won")
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    area = serializers.JSONField(allow_null=True, help_text="GeoJSON geometry")
    outcomes = OutcomeSerializer(many=True)
    body = RichTextField()

    class Meta:
        long_fields = ("body", "area", "outcomes")


class PolicySerializer(RecordSerializer):
    kind = serializers.CharField()
    status = serializers.CharField(help_text="past, current or planned")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    supersedes = serializers.IntegerField(
        source="supersedes_id",
        allow_null=True,
        help_text="Id of the policy this one replaced",
    )
    body = RichTextField()

    class Meta:
        long_fields = ("body",)


# record type key → (URL segment, serializer, what else each page needs loaded)
RECORD_TYPES: dict[str, tuple[str, type[RecordSerializer], tuple[str, ...]]] = {
    "news": ("news", NewsSerializer, ("projects", "image")),
    "literature": ("literature", LiteratureSerializer, ("authors", "pdf")),
    "event": ("events", EventSerializer, ()),
    "document": ("documents", DocumentSerializer, ("file",)),
    "definition": ("definitions", DefinitionSerializer, ()),
    "programme": ("programmes", ProgrammeSerializer, ("programme",)),
    "project": (
        "projects",
        ProjectSerializer,
        ("programme", "city", "lead_organisation", "partners", "outcomes"),
    ),
    "policy": ("policies", PolicySerializer, ("supersedes",)),
}


class TaxonomyTermSerializer(SelectableFieldsMixin, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text="Name in the reading language")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    records = serializers.SerializerMethodField(
        help_text="The API list of records classified under this term"
    )

    class Meta:
        long_fields: tuple[str, ...] = ()
        filter_name = ""

    def get_records(self, term) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(
            f"/api/v1/records/?{self.Meta.filter_name}={term.slug}"
        )


class RegionSerializer(TaxonomyTermSerializer):
    code = serializers.CharField(help_text="Official administrative code")
    level = serializers.CharField(help_text="province or municipality")
    parent = SlugField(allow_null=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()

    class Meta(TaxonomyTermSerializer.Meta):
        filter_name = "region"


class OrganisationSerializer(TaxonomyTermSerializer):
    abbreviation = serializers.CharField()
    kind = serializers.CharField()
    region = SlugField(allow_null=True)
    website = serializers.CharField()

    class Meta(TaxonomyTermSerializer.Meta):
        filter_name = "organisation"


class ProgrammeTermSerializer(TaxonomyTermSerializer):
    description = serializers.CharField()
    start_year = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)
    lead = SlugField(allow_null=True)

    class Meta(TaxonomyTermSerializer.Meta):
        filter_name = "programme"


class TopicSerializer(TaxonomyTermSerializer):
    description = serializers.SerializerMethodField()

    class Meta(TaxonomyTermSerializer.Meta):
        filter_name = "topic"

    def get_description(self, term) -> str:
        if (get_language() or "ko").startswith("en"):
            return term.description_en or term.description_ko
        return term.description_ko or term.description_en
