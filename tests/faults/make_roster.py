#!/usr/bin/env python3
# Writes a roster CSV of N made-up candidates with valid ID numbers (GB 11643 check digit)
# and unique phones: python3 make_roster.py N > roster.csv
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"

CHARS = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华"

def id_number(i):
    d = i // 1000
    body = "110105" + "19%02d%02d%02d" % (60 + (d // 336) % 40, 1 + (d // 28) % 12, 1 + d % 28) + "%03d" % (i % 1000)
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]

n = int(sys.argv[1])
seen = set()
print("报名号,姓名,身份证号,手机号,考试批次")
i = 0
row = 0
while row < n:
    number = id_number(i)
    i += 1
    if number in seen:
        continue
    seen.add(number)
    name = "张" + CHARS[row % len(CHARS)] + CHARS[(row // len(CHARS)) % len(CHARS)]
    print("F%07d,%s,%s,13%09d,故障测试批次" % (row, name, number, row))
    row += 1
