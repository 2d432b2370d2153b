// Everything the server has stored, as one comparable value: every table's rows in a fixed
// order. A failed request must leave it exactly as it was.
async function tableNames(server) {
  if (server.database.engine === 'sqlite') {
    const rows = await server.query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    return rows.map((r) => r.name);
  }
  const rows = await server.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.name);
}

export async function snapshot(server, { except = [] } = {}) {
  const result = {};
  for (const name of await tableNames(server)) {
    if (except.includes(name)) continue;
    result[name] = await server.query(`SELECT * FROM ${name} ORDER BY 1`);
  }
  return result;
}
