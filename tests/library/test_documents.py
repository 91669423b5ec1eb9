"""Documents keep the text of their PDF so search can find it."""

import io

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from scis.library.models import DocumentPage
from tests.factories import DocumentPageFactory


def _pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def _document(name: str, content: bytes):
    document = get_document_model()(title=name)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_demo_documents_carry_their_pdf_text():
    brochure = DocumentPage.objects.filter(
        slug__contains="brochure", locale__language_code="ko"
    ).first()
    assert brochure.file is not None
    assert "스마트" in brochure.extracted_text


@pytest.mark.django_db
def test_uploaded_pdf_text_is_extracted_on_save():
    document = _document("plan.pdf", _pdf_bytes("Digital twin pilot for Jecheon"))
    page = DocumentPageFactory(title="Jecheon plan", slug="jecheon-plan", file=document)
    page.refresh_from_db()
    assert "Digital twin pilot for Jecheon" in page.extracted_text


@pytest.mark.django_db
def test_a_damaged_pdf_still_saves_without_text():
    document = _document("broken.pdf", b"%PDF-1.4 this is not really a pdf")
    page = DocumentPageFactory(title="Broken", slug="broken-doc", file=document)
    page.refresh_from_db()
    assert page.extracted_text == ""
    assert page.live


@pytest.mark.django_db
def test_document_page_offers_the_download(client):
    page = (
        DocumentPage.objects.filter(locale__language_code="en")
        .exclude(file=None)
        .first()
    )
    html = client.get(page.url).content.decode()
    assert page.file.url in html
    assert "PDF" in html
