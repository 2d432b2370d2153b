// Which screens belong to which collection state. The server owns the state; the router
// only lets a candidate see the screens of the state they are in, so a reload, a link
// shared by mistake or a return days later always lands on the right step.

const FLOW = {
  id_card_pending: { home: 'idCard', allowed: ['idCard'] },
  id_card_uploaded: { home: 'confirm', allowed: ['idCard', 'confirm'] },
  identity_mismatch: { home: 'confirm', allowed: ['confirm'] },
  identity_confirmed: { home: 'photoGuide', allowed: ['photoGuide', 'photoUpload'] },
  photo_rejected: { home: 'photoResult', allowed: ['photoResult', 'photoGuide', 'photoUpload'] },
  photo_accepted: { home: 'photoResult', allowed: ['photoResult', 'photoGuide', 'photoUpload'] },
  awaiting_consent: { home: 'consent', allowed: ['consent'] },
  verifying: { home: 'waiting', allowed: ['waiting'] },
  verified: { home: 'result', allowed: ['result'] },
  verification_failed: { home: 'result', allowed: ['result', 'photoGuide', 'photoUpload'] },
};

export const FLOW_ROUTES = ['idCard', 'confirm', 'photoGuide', 'photoUpload', 'photoResult', 'consent', 'waiting', 'result'];

export function homeRouteFor(state) {
  return (FLOW[state] || FLOW.id_card_pending).home;
}

export function isAllowed(state, routeName) {
  const entry = FLOW[state];
  return !!entry && entry.allowed.indexOf(routeName) >= 0;
}

// The step numbers shown in the progress bar at the top of the flow screens.
export const STEPS = ['身份证', '确认信息', '上传照片', '身份核验', '完成'];
const STEP_OF_ROUTE = { idCard: 0, confirm: 1, photoGuide: 2, photoUpload: 2, photoResult: 2, consent: 3, waiting: 3, result: 4 };
export function stepOf(routeName) {
  return STEP_OF_ROUTE[routeName] || 0;
}

// What the home page tells a returning candidate about where they stand.
export const STATE_LABELS = {
  id_card_pending: '待上传身份证',
  id_card_uploaded: '待确认身份信息',
  identity_mismatch: '身份证信息与报名信息不一致，请联系自考办',
  identity_confirmed: '待上传照片',
  photo_rejected: '照片不合格，请重新拍照',
  photo_accepted: '照片合格，待提交',
  awaiting_consent: '待提交身份核验',
  verifying: '身份核验中',
  verified: '已提交成功',
  verification_failed: '身份核验不通过，请重新拍照',
};
