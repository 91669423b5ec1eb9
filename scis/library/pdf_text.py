"""Text extraction from uploaded PDF files."""

import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

# Enough for search on a long plan, without storing a whole book.
MAX_CHARS = 500_000


def extract_pdf_text(document) -> str:
    """Return the text of a Wagtail document if it is a PDF; "" otherwise.

    A damaged or encrypted file yields "" and a warning: the document still
    saves, it just is not searchable by its contents.
    """
    if document is None or not document.file.name.lower().endswith(".pdf"):
        return ""
    try:
        with document.open_file() as handle:
            reader = PdfReader(handle)
            parts = []
            size = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                size += len(text)
                if size >= MAX_CHARS:
                    break
    except (PdfReadError, OSError, ValueError) as exc:
        logger.warning("Could not read text from %s: %s", document.file.name, exc)
        return ""
    return "\n".join(parts)[:MAX_CHARS].strip()
