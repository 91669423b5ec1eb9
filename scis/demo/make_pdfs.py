"""Write the demo archive's PDF files (scis/demo/pdfs/<slug>.<lang>.pdf) from
the document records' text. The files are committed, so this runs only when
documents.yaml changes: `python -m scis.demo.make_pdfs`. It needs fpdf2 (a
development requirement) and a Korean TrueType font, e.g. Debian's
fonts-nanum."""

import datetime as dt
import sys
from pathlib import Path

import yaml
from fpdf import FPDF

DATA = Path(__file__).resolve().parent / "data" / "documents.yaml"
OUT = Path(__file__).resolve().parent / "pdfs"
FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"),
]


def _font() -> Path:
    for path in FONT_CANDIDATES:
        if path.exists():
            return path
    sys.exit("No Korean font found: install Debian's fonts-nanum and run this again.")


def write_pdf(record: dict, lang: str, font: Path) -> Path:
    block = record[lang]
    pdf = FPDF(format="A4")
    pdf.set_title(block["title"])
    pdf.set_author(", ".join(record.get("organisations", [])))
    pdf.set_creation_date(dt.datetime(record["year"], 1, 1, tzinfo=dt.UTC))
    pdf.add_font("Body", fname=str(font))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Body", size=18)
    pdf.multi_cell(0, 10, block.get("file_title") or block["title"])
    pdf.ln(4)
    pdf.set_font("Body", size=11)
    pdf.multi_cell(0, 6, block["summary"])
    pdf.ln(4)
    for paragraph in [p.strip() for p in block["body"].split("\n\n") if p.strip()]:
        pdf.multi_cell(0, 6.5, " ".join(paragraph.split()))
        pdf.ln(3)
    path = OUT / f"{record['slug']}.{lang}.pdf"
    pdf.output(str(path))
    return path


def main() -> None:
    font = _font()
    OUT.mkdir(exist_ok=True)
    records = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for record in records:
        for lang in ("ko", "en"):
            print(write_pdf(record, lang, font).name)


if __name__ == "__main__":
    main()
