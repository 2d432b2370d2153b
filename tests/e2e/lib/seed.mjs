// Puts a collection into a given state straight in the database and the blob folder, for
// tests of what comes after the candidate's flow (office console, exports).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Runs a statement that changes rows (lib/database.mjs's query() only wraps SELECTs).
export async function exec(server, sql) {
  const db = server.database;
  if (db.engine === 'sqlite') await run('sqlite3', ['-bail', db.file, sql]);
  else await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url, '-c', sql]);
}

// A photo attempt whose blobs hold `content` (default: a short distinct text; the export
// copies bytes as they are, so a valid JPEG is not needed). The files are written in clear,
// then sealed with the data folder's key by `examphoto blobs rotate-key`, as the service
// stores every image sealed. Returns the attempt's id.
export async function seedPhoto(server, candidateId, { passed = true, withPhoto = true, content } = {}) {
  const key = `photo/e2e${candidateId}x${Math.random().toString(16).slice(2)}`;
  const upload = `upload/e2e${candidateId}x${Math.random().toString(16).slice(2)}`;
  await mkdir(path.join(server.dataDir, 'blobs', 'photo'), { recursive: true });
  await mkdir(path.join(server.dataDir, 'blobs', 'upload'), { recursive: true });
  await writeFile(path.join(server.dataDir, 'blobs', key), content ?? `JPEG-${candidateId}`);
  await writeFile(path.join(server.dataDir, 'blobs', upload), `UPLOAD-${candidateId}`);
  const sealed = await server.cli(['blobs', 'rotate-key']);
  if (sealed.code !== 0) throw new Error(`sealing the seeded blobs failed: ${sealed.stdout}${sealed.stderr}`);
  // The report as the server writes it: the check's verdict, its issues, the core's details.
  const issues = passed ? '[]' : '[{"code":"photo.too_dark","message":"","hint":""},{"code":"photo.blurred","message":"","hint":""}]';
  const report = `{"pass":${passed},"issues":${issues},"details":null}`;
  await exec(
    server,
    `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key) VALUES (${candidateId}, ${Date.now()}, ${passed ? 1 : 0}, '${report}', '${upload}', ${withPhoto ? `'${key}'` : 'NULL'})`,
  );
  const rows = await server.query(`SELECT max(id) AS id FROM photo_attempts WHERE candidate_id = ${candidateId}`);
  return Number(rows[0].id);
}

export async function setState(server, candidateId, state, extra = '') {
  await exec(server, `UPDATE collections SET state = '${state}'${extra} WHERE candidate_id = ${candidateId}`);
}

export async function candidateId(server, person) {
  const rows = await server.query(`SELECT id FROM candidates WHERE phone = '${person.phone}'`);
  return Number(rows[0].id);
}
