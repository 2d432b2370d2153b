// Roster files for the tests: valid ID numbers (GB 11643 check character), CSV text in the
// office's column layout, and GBK bytes (what Excel saves in China) through the iconv CLI.
import { execFileSync } from 'node:child_process';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

// A valid 18-character ID number; `sequence` (0..999) makes it unique for one birth date.
export function idNumber({ region = '110105', birth = '19900307', sequence = 123 } = {}) {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

// The same number with a wrong last character.
export function withWrongCheck(id) {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '晓雯', '子轩'];

// `count` distinct valid candidates. `seed` keeps different groups apart within one database.
export function candidates(count, { seed = 1, session = '2026-10' } = {}) {
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    const n = seed * 1000 + i;
    rows.push({
      registration_no: `E2E${String(n).padStart(7, '0')}`,
      name: SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length],
      // Birth year from the seed, date and sequence from the index: unique across groups.
      id_number: idNumber({ birth: birthDate(seed, i), sequence: i % 1000 }),
      phone: `13${String(seed % 10)}${String(n).padStart(8, '0')}`,
      exam_session: session,
    });
  }
  return rows;
}

function birthDate(seed, i) {
  const year = 1950 + (seed % 50);
  const month = 1 + (Math.floor(i / 28) % 12);
  const day = 1 + (i % 28);
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

export const HEADER = ['报名号', '姓名', '身份证号', '手机号', '考试批次'];

export function toCsv(rows, { bom = false, header = HEADER, newline = '\r\n' } = {}) {
  const quote = (value) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      Array.isArray(r)
        ? r.map(quote).join(',')
        : [r.registration_no, r.name, r.id_number, r.phone, r.exam_session].map(quote).join(','),
    );
  }
  return (bom ? '\uFEFF' : '') + lines.join(newline) + newline;
}

export function toGbk(text) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(text, 'utf8') });
}
