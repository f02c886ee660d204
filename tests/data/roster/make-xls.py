#!/usr/bin/python3
"""Writes students.xls. Run from this directory with Debian's python3-xlwt;
the output is committed, so the tests need neither."""
import datetime

import xlwt


def write_xls():
    """students.xls: Excel 97-2003 as 正方 exports it (python3-xlwt, only
    needed to regenerate the committed file): a title row, headers with
    exchange codes, a student number and an ID number stored as numbers,
    a date cell, and a second sheet."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2025届毕业生")
    sheet.write(0, 0, "重庆文理学院2025届毕业生名单")
    headers = ["XH", "XM", "XB", "身份证件号", "CSRQ", "学院", "专业", "行政班"]
    for c, h in enumerate(headers):
        sheet.write(2, c, h)
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    rows = [
        (202101001, "王䶮", "男", "500118200305120016", datetime.date(2003, 5, 12), "人工智能学院", "软件工程", "软工2101"),
        (202101002, "阿卜杜拉·艾则孜", "男", 500118200305120024.0, datetime.date(2003, 5, 12), "人工智能学院",
         "软件工程", "软工2101"),
        (202101003, "陈喆", 2, "50011820030512018X", "2003/5/12", "文学院", "汉语言文学", "汉语言2102"),
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                sheet.write(r, c, v, date)
            else:
                sheet.write(r, c, v)
    other = book.add_sheet("说明")
    other.write(0, 0, "本表由教务系统导出")
    book.save("students.xls")


write_xls()
