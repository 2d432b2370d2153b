// Writes a roster CSV of N made-up candidates with valid ID numbers and phones 138xxxxxxxx,
// for load tests: node make-roster.mjs N > roster.csv
const count = Number(process.argv[2] ?? 1000);
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = '10X98765432';
const lines = ['报名号,姓名,身份证号,手机号,考试批次'];
for (let i = 0; i < count; i++) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
  const year = 1970 + (Math.floor(i / 336) % 35);
  const sequence = String(i % 1000).padStart(3, '0');
  const first17 = `110105${year}${month}${day}${sequence}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(first17[k]) * weights[k];
  const id = first17 + checks[sum % 11];
  lines.push(`B${String(i).padStart(8, '0')},考生${i},${id},138${String(i).padStart(8, '0')},2026-10`);
}
process.stdout.write(lines.join('\n') + '\n');
