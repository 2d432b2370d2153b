// A stand-in for the examphoto server's candidate API, in memory, for working on the web
// app without building the C++ server (`node scripts/mock-api.mjs [port]`, then
// `EXAMPHOTO_API=http://127.0.0.1:port npx vite`). It follows the API contract but judges
// nothing: the real checks live in the server, and the e2e tests run against the server.
// Roster: tests/e2e/candidates.mjs. 13800000002's card disagrees with the roster,
// 13800000003's first verification fails, 13800000005's first portrait is rejected.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { ROSTER as CANDIDATES_LIST } from '../tests/e2e/candidates.mjs';

const port = Number(process.argv[2] || process.env.PORT || 8080);
const distDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dist');
const ROSTER = Object.fromEntries(CANDIDATES_LIST.map((c) => [c.phone, { ...c, exam_session: c.session }]));
const outbox = [];
const codes = new Map();
const tokens = new Map();
const candidates = new Map();
const images = new Map();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
function fail(res, status, code, message, hint, extra = {}) {
  send(res, status, { error: { code, message, hint }, ...extra });
}
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
function candidateFor(req) {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  return match && tokens.has(match[1]) ? candidates.get(tokens.get(match[1])) : null;
}
function meOf(c) {
  return {
    candidate: { name: c.roster.name, registration_no: c.roster.registration_no, phone_masked: c.phone.slice(0, 3) + '****' + c.phone.slice(7), exam_session: c.roster.exam_session },
    state: c.state,
    id_card: c.idCard,
    mismatch: c.state === 'identity_mismatch' ? c.mismatch : null,
    photo: c.photo,
    verification: c.verification,
  };
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  const body = await readBody(req);
  const json = () => {
    try {
      return JSON.parse(body.toString() || '{}');
    } catch (e) {
      return {};
    }
  };
  if (!p.startsWith('/api/v1/')) {
    const file = path.join(distDir, p === '/' ? 'index.html' : p);
    const target = file.startsWith(distDir) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(distDir, 'index.html');
    const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };
    res.writeHead(200, { 'Content-Type': types[path.extname(target)] || 'application/octet-stream' });
    return res.end(fs.readFileSync(target));
  }
  const api = p.slice('/api/v1'.length);
  if (api === '/app-config') {
    return send(res, 200, {
      office_phone: '010-89193989 转 6',
      agreements: { user: { version: '2026-01', title: '用户协议' }, privacy: { version: '2026-01', title: '隐私协议' } },
      sms: { resend_seconds: 60, code_length: 6 },
      photo_profile: { name: 'bj-zikao', width: 480, height: 640, background: '蓝色' },
    });
  }
  if (api.startsWith('/agreements/')) {
    const kind = api.split('/')[2];
    const title = kind === 'privacy' ? '隐私协议' : '用户协议';
    return send(res, 200, { version: '2026-01', title, text: `这是《${title}》的示例文本。\n\n第一条 本系统用于北京市自学考试照片采集。\n\n第二条 考生应上传本人真实有效的身份证件和照片。` });
  }
  if (api === '/dev/sms-outbox') return send(res, 200, { messages: outbox.filter((m) => m.phone === url.searchParams.get('phone')) });
  if (api === '/auth/sms-code') {
    const { phone } = json();
    if (!/^1\d{10}$/.test(phone || '')) return fail(res, 400, 'phone.format', '手机号码格式不正确。', '请输入11位手机号码。');
    if (!ROSTER[phone]) return fail(res, 404, 'auth.phone_not_registered', '该手机号未在报名系统中登记。', '请输入您在报名系统注册的手机号；如有疑问请联系自考办。');
    const previous = outbox.find((m) => m.phone === phone); // newest first, as the server lists them
    const waited = previous ? (Date.now() - Date.parse(previous.sent_at)) / 1000 : 999;
    if (waited < 60) {
      const seconds = Math.ceil(60 - waited);
      return send(res, 429, { error: { code: 'sms.resend_too_soon', message: `验证码已发送，请${seconds}秒后再重新获取。`, hint: '请查看短信，验证码5分钟内有效。' } }, { 'Retry-After': String(seconds) });
    }
    const code = String(crypto.randomInt(0, 1000000)).padStart(6, '0');
    codes.set(phone, code);
    outbox.unshift({ phone, code, text: `【北京教育考试院】您的验证码是${code}，5分钟内有效。`, sent_at: new Date().toISOString() });
    return send(res, 200, { resend_after_seconds: 60, expires_in_seconds: 300 });
  }
  if (api === '/auth/login') {
    const { phone, code } = json();
    if (!codes.has(phone)) return fail(res, 400, 'sms.code_expired', '验证码已过期或未获取。', '请点击“获取验证码”重新获取。');
    if (codes.get(phone) !== code) return fail(res, 400, 'sms.code_wrong', '验证码不正确。', '请核对短信中的6位验证码后重新输入。');
    codes.delete(phone);
    if (!candidates.has(phone)) {
      candidates.set(phone, { phone, roster: ROSTER[phone], state: 'id_card_pending', idCard: { portrait: { uploaded: false, fields: {}, issues: [] }, emblem: { uploaded: false, fields: {}, issues: [] } }, mismatch: null, photo: null, verification: null, verifications: 0 });
    }
    const token = crypto.randomBytes(16).toString('hex');
    tokens.set(token, phone);
    return send(res, 200, { token, expires_at: new Date(Date.now() + 86400000).toISOString(), state: candidates.get(phone).state });
  }
  if (api.startsWith('/me/photos/') && api.endsWith('/image')) {
    const c = candidateFor(req);
    if (!c) return fail(res, 401, 'auth.session_required', '您尚未登录或登录已过期。', '请重新登录。');
    const image = images.get(api.split('/')[3]);
    res.writeHead(200, { 'Content-Type': image.type });
    return res.end(image.bytes);
  }
  const c = candidateFor(req);
  if (!c) return fail(res, 401, 'auth.session_required', '您尚未登录或登录已过期。', '请重新登录。');
  if (api === '/auth/logout') return send(res, 204);
  if (api === '/me') return send(res, 200, meOf(c));
  if (api.startsWith('/me/id-card/') && req.method === 'PUT') {
    const side = api.split('/')[3];
    if (body.length < 2000) return fail(res, 422, 'idcard.unreadable', '未能识别身份证。', '请将身份证完整放在框内，保持清晰后重新拍摄。', { issues: [] });
    const fields =
      side === 'portrait'
        ? { name: c.roster.cardName || c.roster.name, sex: '男', ethnicity: '汉', birth_date: '1990-03-07', address: '北京市朝阳区建国路88号', id_number: c.roster.id_number }
        : { authority: '北京市公安局朝阳分局', valid_from: '2020.01.01', valid_to: '2040.01.01' };
    c.idCard[side] = { uploaded: true, fields, issues: [] };
    if (c.idCard.portrait.uploaded && c.idCard.emblem.uploaded) c.state = 'id_card_uploaded';
    return send(res, 200, { side, fields, issues: [], state: c.state });
  }
  if (api === '/me/id-card/confirm') {
    if (c.roster.cardName) {
      c.state = 'identity_mismatch';
      c.mismatch = { fields: ['name'], card: { name: c.roster.cardName, id_number: c.roster.id_number }, registration: { name: c.roster.name, id_number: c.roster.id_number } };
    } else c.state = 'identity_confirmed';
    return send(res, 200, { state: c.state, mismatch: c.state === 'identity_mismatch' ? c.mismatch : null });
  }
  if (api === '/me/id-card/reenter') {
    c.state = 'id_card_pending';
    c.idCard = { portrait: { uploaded: false, fields: {}, issues: [] }, emblem: { uploaded: false, fields: {}, issues: [] } };
    return send(res, 200, { state: c.state });
  }
  if (api === '/me/photos') {
    const id = crypto.randomBytes(6).toString('hex');
    c.photos = (c.photos || 0) + 1;
    const isPng = c.phone === '13800000005' && c.photos === 1;
    images.set(id, { bytes: body, type: req.headers['content-type'] || 'image/jpeg' });
    const issues = isPng
      ? [{ code: 'photo.too_dark', message: '照片光线太暗。', hint: '请在光照充足的地方拍照，避免背对光源。' }, { code: 'photo.face_off_center', message: '脸部没有位于画面中间。', hint: '请平视摄像头，脸部置于镜头中间位置。' }]
      : [];
    c.photo = { attempt_id: id, pass: !isPng, issues, url: `/api/v1/me/photos/${id}/image` };
    c.state = isPng ? 'photo_rejected' : 'photo_accepted';
    return send(res, 200, { ...c.photo, state: c.state });
  }
  if (api === '/me/photo/retake') {
    c.state = 'identity_confirmed';
    return send(res, 200, { state: c.state });
  }
  if (api === '/me/photo/submit') {
    c.state = 'awaiting_consent';
    return send(res, 200, { state: c.state });
  }
  if (api === '/me/verification') {
    c.state = 'verifying';
    c.verifications += 1;
    setTimeout(() => {
      const failed = c.phone === '13800000003' && c.verifications === 1;
      c.state = failed ? 'verification_failed' : 'verified';
      c.verification = failed ? { status: 'failed', message: '照片与身份证照片不是同一人。' } : { status: 'passed', message: '核验通过' };
    }, 3000);
    return send(res, 200, { state: c.state });
  }
  return fail(res, 404, 'request.not_found', '请求的地址不存在。', '请返回首页重新进入采集系统。');
});
server.listen(port, '127.0.0.1', () => console.log(`mock API and dist/ on http://127.0.0.1:${port}`));
