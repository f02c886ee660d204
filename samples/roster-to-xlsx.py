#!/usr/bin/python3
"""roster-to-xlsx.py ROSTER.csv ROSTER.xlsx

Turns gradprint-synth's CSV roster into the XLSX a registrar's office would
send: numbers stored as numbers (序号, 学号, 学制), dates as real date cells
with a date format, ID and certificate numbers as text (they are too long
for a double), a bold frozen header row. Needs python3-openpyxl.
"""
import csv
import datetime
import io
import sys
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

NUMBER_COLUMNS = {"序号", "学号", "学制"}
DATE_COLUMNS = {"出生日期", "入学日期", "毕业日期"}


def cell_value(header, text):
    if header in NUMBER_COLUMNS and text.isdigit():
        return int(text)
    if header in DATE_COLUMNS and text:
        return datetime.datetime.strptime(text, "%Y-%m-%d")
    return text


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], rows[1:]

    book = Workbook()
    sheet = book.active
    sheet.title = "毕业生名单"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        sheet.append([cell_value(h, v) for h, v in zip(header, record)])
    for column, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        if name in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = "yyyy-mm-dd"
        widest = max(len(str(r[column - 1])) for r in rows) if records else len(name)
        sheet.column_dimensions[letter].width = max(8, min(40, widest * 2 + 2))
    sheet.freeze_panes = "A2"
    save_reproducibly(book, argv[2])


def save_reproducibly(book, path):
    """The same roster gives the same bytes: fixed document dates and zip
    entry times instead of now, so a regenerated sample shows no diff."""
    fixed = datetime.datetime(2025, 6, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))


if __name__ == "__main__":
    main(sys.argv)
