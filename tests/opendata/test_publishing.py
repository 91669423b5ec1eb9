"""/data/: the published dump, its downloads and its DCAT-AP catalogue."""

import io
import json
import shutil
import zipfile

import pytest
from django.core.management import call_command
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from scis.news.models import NewsPage


@pytest.fixture
def open_data_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "opendata"
    return settings.OPEN_DATA_ROOT


@pytest.fixture
def published(open_data_root):
    call_command("publish_open_data", "--no-progress", stdout=io.StringIO())
    return open_data_root


def body(response) -> str:
    return b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode()


@pytest.mark.django_db
def test_before_publishing_the_page_says_so_and_catalogues_are_absent(
    client, open_data_root
):
    page = client.get("/data/")
    assert page.status_code == 200
    assert "공개 데이터" in page.content.decode()
    assert "아직" in page.content.decode()  # not published yet
    assert client.get("/data/catalog.ttl").status_code == 404
    assert client.get("/data/files/manifest.json").status_code == 404


@pytest.mark.django_db
def test_the_page_offers_every_dataset_and_each_link_downloads(client, published):
    page = client.get("/data/")
    html = page.content.decode()
    assert "뉴스" in html and "프로젝트" in html and "지역 분류" in html
    links = [part.split('"')[0] for part in html.split('href="/data/files/')[1:]]
    assert "scis-open-data.zip" in links and "records/news.csv" in links
    for link in links:
        response = client.get(f"/data/files/{link}")
        assert response.status_code == 200, link
    news = client.get("/data/files/records/news.jsonl")
    assert news["Content-Type"].startswith("application/jsonl")
    assert "attachment" in news["Content-Disposition"]
    rows = [json.loads(line) for line in body(news).splitlines()]
    assert len(rows) == NewsPage.objects.live().count()

    archive = zipfile.ZipFile(
        io.BytesIO(
            b"".join(client.get("/data/files/scis-open-data.zip").streaming_content)
        )
    )
    names = set(archive.namelist())
    assert {"manifest.json", "records/news.jsonl", "taxonomy/regions.csv"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "scis-open-data"

    english = client.get("/en/data/").content.decode()
    assert "Open data" in english and "Projects" in english


@pytest.mark.django_db
def test_the_page_describes_the_archive_as_a_schema_org_dataset(client, published):
    html = client.get("/data/").content.decode()
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    dataset = json.loads(script)
    assert dataset["@type"] == "Dataset"
    assert dataset["license"].startswith("https://www.kogl.or.kr/")
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert {"application/zip", "text/csv", "application/jsonl"} <= formats


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "fmt"),
    [("/data/catalog.ttl", "turtle"), ("/data/catalog.jsonld", "json-ld")],
)
def test_the_dcat_catalogue_lists_datasets_whose_files_download(
    client, published, url, fmt
):
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content.decode(), format=fmt)
    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    assert catalog is not None
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) >= 12  # the whole, 8 record types, 4 taxonomies
    titles = {str(t) for d in datasets for t in graph.objects(d, DCTERMS.title)}
    assert "News" in titles and "뉴스" in titles
    downloads = [str(u) for u in graph.objects(None, DCAT.downloadURL)]
    assert downloads
    for download in downloads:
        path = download.removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["../../settings.py", "..%2F..%2Fmanage.py", "records/nothing.jsonl", "%00"],
)
def test_only_files_of_the_dump_are_served(client, published, path):
    assert client.get(f"/data/files/{path}").status_code == 404


@pytest.mark.django_db
def test_the_scheduler_publishes_when_the_archive_changed(open_data_root, settings):
    call_command("run_scheduler", "--once")
    assert (open_data_root / "current" / "manifest.json").is_file()
    first = (open_data_root / "current").resolve()
    call_command("run_scheduler", "--once")  # nothing changed: kept as it is
    assert (open_data_root / "current").resolve() == first
    settings.OPEN_DATA_INTERVAL_HOURS = 0
    NewsPage.objects.filter(live=True).first().save_revision().publish()
    call_command("run_scheduler", "--once")
    assert (open_data_root / "current").resolve() != first
    assert not first.exists()  # the older release is gone
    shutil.rmtree(open_data_root)


@pytest.mark.django_db
def test_every_page_links_to_the_open_data(client):
    assert 'href="/data/"' in client.get("/").content.decode()
    assert 'href="/en/data/"' in client.get("/en/").content.decode()
