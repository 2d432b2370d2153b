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
