// The candidates of the browser tests: one roster row each, and what their specimen ID
// card prints. web/scripts/mock-api.mjs knows the same people.

// GB 11643-1999: the 18th character is a check over the first 17 digits (ISO 7064 MOD 11-2).
export function withCheckDigit(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

function candidate(phone, registrationNo, name, first17, extra = {}) {
  return { phone, registration_no: registrationNo, name, id_number: withCheckDigit(first17), session: '2026-10', ...extra };
}

export const CANDIDATES = {
  // Card agrees with the roster; passes everything.
  happy: candidate('13800000001', '010126100001', '张三', '11010519900307123'),
  // The card prints 李思 where the roster says 李四: the mismatch dialog.
  mismatch: candidate('13800000002', '010126100002', '李四', '11010519900307125', { cardName: '李思' }),
  // Uploads someone else's face first: verification fails, then a retake passes.
  retake: candidate('13800000003', '010126100003', '刘建国', '11010519900307127'),
  // Reloads in the middle.
  resume: candidate('13800000004', '010126100004', '赵六', '11010519900307129'),
  // Uploads a group photo: rejected with a reason.
  rejected: candidate('13800000005', '010126100005', '孙七', '11010519900307131'),
  // Uses the live camera and uploads a 12-megapixel photo.
  camera: candidate('13800000006', '010126100006', '周八', '11010519900307133'),
};

export const ROSTER = Object.values(CANDIDATES);
