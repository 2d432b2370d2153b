// The database behind one test server: an SQLite file in the server's data folder by
// default, or a fresh PostgreSQL database (created and dropped with psql) when
// EXAMPHOTO_TEST_PG_ADMIN_URL names an administrative connection. Tests read stored rows
// through query() to prove what a request did or did not change.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const pgAdminUrl = process.env.EXAMPHOTO_TEST_PG_ADMIN_URL || '';
export const engine = pgAdminUrl ? 'postgresql' : 'sqlite';

async function psql(url, sql) {
  const { stdout } = await run('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

class SqliteDatabase {
  constructor(dataDir) {
    this.file = path.join(dataDir, 'examphoto.db');
    this.url = `sqlite:${this.file}`;
    this.engine = 'sqlite';
  }

  async create() {}

  // Rows as objects keyed by column name.
  async query(sql) {
    const { stdout } = await run('sqlite3', ['-json', '-bail', this.file, sql], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim() ? JSON.parse(stdout) : [];
  }

  async drop() {}
}

class PostgresDatabase {
  constructor(adminUrl) {
    this.adminUrl = adminUrl;
    this.name = `e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${this.name}`;
    this.url = url.toString();
    this.engine = 'postgresql';
  }

  async create() {
    await psql(this.adminUrl, `CREATE DATABASE ${this.name}`);
  }

  async query(sql) {
    const out = await psql(this.url, `SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`);
    return JSON.parse(out.trim());
  }

  async drop() {
    await psql(this.adminUrl, `DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }
}

export function newDatabase(dataDir) {
  return pgAdminUrl ? new PostgresDatabase(pgAdminUrl) : new SqliteDatabase(dataDir);
}
