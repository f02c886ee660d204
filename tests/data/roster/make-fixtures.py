#!/usr/bin/python3
"""Writes the roster test fixtures. Run from this directory with Debian's
python3 (python3-openpyxl) and iconv; the outputs are committed, so the
tests need neither."""
import subprocess
from datetime import date

import openpyxl

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def cid(first17):
    """A GB 11643 ID number with its real check character."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]


def write(name, text, newline="\n", bom=False):
    data = text.replace("\n", newline).encode("utf-8")
    with open(name, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)


def iconv(src, dst, charset):
    with open(dst, "wb") as f:
        subprocess.run(["iconv", "-f", "UTF-8", "-t", charset, src], stdout=f, check=True)


# Rare name characters: 䶮 (Ext A), 龑, 𠮷 (Ext B, 4 bytes in UTF-8 and in
# GB18030), 堃, 喆. The fourth ID ends in a lowercase x on purpose.
students = (
    "重庆文理学院2025届毕业生名单,,,,,,,,,\n"
    "序号,学号,姓名,性别,身份证号码,出生日期,学院,专业,班级,备注\n"
    "1,202101001,王䶮,男,500118200305120016,2003-05-12,人工智能学院,计算机科学与技术,计科2101班,\n"
    "2,202101002,李龑,女,500118200305120024,2003/5/12,人工智能学院,计算机科学与技术,计科2101班,\n"
    "3,202101003,张𠮷,男,500118200305120032,2003.5.12,人工智能学院,软件工程,软工2101班,\n"
    "4,202101004,刘堃,女,50011820030512018x,2003年5月12日,文化与旅游学院,旅游管理,旅管2101班,\n"
    "5,202101005,陈喆,男,500118200305120059,20030512,文化与旅游学院,旅游管理,旅管2101班,转专业\n"
)
write("students-utf8.csv", students)
write("students-utf8-bom.csv", students, newline="\r\n", bom=True)
iconv("students-utf8.csv", "students-gb18030.csv", "GB18030")

# GBK has no 䶮 or 𠮷: Excel's plain "CSV" on a Chinese Windows looks like this.
write("gbk.tmp",
      "学号,姓名,身份证号,学院,专业,班级\n"
      "202101001,王伟,500118200305120016,人工智能学院,计算机科学与技术,计科2101班\n"
      "202101002,李娜,500118200305120024,人工智能学院,计算机科学与技术,计科2101班\n")
iconv("gbk.tmp", "students-gbk.csv", "GBK")
subprocess.run(["rm", "gbk.tmp"], check=True)

# Invalid UTF-8 on line 3 behind a UTF-8 byte order mark.
with open("bad-utf8.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + "学号,姓名,身份证号\n202101001,王伟,500118200305120016\n".encode()
            + b"202101002,\xc0\xaf,500118200305120024\n")

# Quotes, commas, newlines inside cells, "" escapes, ="..." cells, blank
# rows (also one of only commas), blanks around cells: U+3000 and U+00A0.
write("quoted.csv",
      "学号,姓名,身份证号,专业,备注\n"
      "\n"
      "\"202101001\",\"王伟\",=\"500118200305120016\",\"计算机科学与技术\",\"含逗号,的备注\"\n"
      "202101002, \u3000李娜\u3000 ,500118200305120024,软件工程,\"第一行\n第二行\"\n"
      ",,,,\n"
      "202101003,\"张\"\"小\"\"敏\",500118200305120032,\"数据科学, 大数据\",  \"引号前有空格\"\n"
      "202101004,\u00a0刘强\u00a0,\"500118200305120040\",旅游管理,\"\"\n",
      newline="\r\n")

write("tabs.tsv",
      "Student No\tName\tID Number\tCollege\tMajor\tClass\tEnrolment Date\n"
      "202101001\tWang, Wei\t500118200305120016\tAI\tComputer Science\tCS2101\t2021-09-01\n"
      "\n"
      "202101002\tLi, Na\t500118200305120024\tAI\tComputer Science\tCS2101\t2021/9/1\n")

write("english.csv",
      "seq,STUDENT_NO,name,Gender,id_number,Birth Date,college,major,class,level,study_years,"
      "enrolment_date,Graduation Date,diploma_no,degree_field,degree_no,ID Type\n"
      "1,202101001,Wang Wei,M,500118200305120016,2003-05-12,AI,CS,CS2101,本科,4,2021-09-01,2025-06-30,"
      "116421202505000123,工学,1164242025000456,居民身份证\n")

write("dup-header.csv",
      "学号,姓名,身份证号,学院,专业,证件号码\n"
      "202101001,王伟,500118200305120016,人工智能学院,软件工程,500118200305120016\n")

write("no-header.csv", "".join(f"2021010{i:02d},王伟,500118200305120016\n" for i in range(12)))

# One finding of every kind, each on a known line (comments in the test).
write("check.csv",
      "学号,姓名,性别,身份证号,出生日期,学院,专业,班级\n"
      "202101001,王伟,男,500118200305120016,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101002,,女,500118200305120024,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101003,张敏,男,50011820030512003,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101004,刘强,男,5001182003051200A2,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101005,陈静,女,500118200302300041,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101006,赵磊,男,500118200305120017,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101001,孙丽,女,500118200305120067,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101008,周杰,男,500118200305120016,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101009,吴芳,女,500118200305120083,2023-02-29,人工智能学院,软件工程,软工2101班\n"
      "202101010,郑浩,男,500118200305120059,2024-02-29,人工智能学院,软件工程,软工2101班\n"
      "202101011,王芳,男,50011820030512018X,2003-05-12,人工智能学院,软件工程,软工2101班\n"
      "202101012,李雷,男,,2003-05-12,人工智能学院,软件工程,软工2101班\n")

# A workbook as openpyxl (like Excel) writes it: shared strings, styles,
# numbers, date-formatted cells, a title row, a gap row, three sheets.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "2025届"
ws["A1"] = "重庆文理学院2025届毕业生名单"
ws.merge_cells("A1:K1")
ws.append([])
ws.append(["序号", "学号", "姓名", "性别", "身份证号", "出生日期", "入学日期", "学院", "专业", "学制", "离校日期"])
ws.append([1, 202101001, "王䶮", "男", "500118200305120016", date(2003, 5, 12), 44440, "人工智能学院",
           "计算机科学与技术", 4, date(2025, 6, 30)])
ws.append([2, 202101002, "张𠮷", "女", 500118200305120024, date(2003, 5, 12), "2021-09-01", "人工智能学院",
           "计算机科学与技术", 4.5, None])
ws.append([])
ws.append([3, 202101003, "陈喆", "男", "500118200305120032", 37753, date(2021, 9, 1), "文化与旅游学院",
           "旅游管理", 4, date(2025, 6, 30)])
ws["F4"].number_format = "mm-dd-yy"             # Excel's built-in format 14
ws["K4"].number_format = 'yyyy"年"m"月"d"日"'    # a custom date format
ws["K7"].number_format = "yyyy/m/d;@"
ws2 = wb.create_sheet("2024届")
ws2.append(["学号", "姓名", "身份证号", "学院", "专业", "班级"])
ws2.append(["202001001", "刘堃", "500118200305120040", "人工智能学院", "软件工程", "软工2001班"])
ws3 = wb.create_sheet("说明")
ws3["A1"] = "本表由教务处导出"
wb.save("students.xlsx")

