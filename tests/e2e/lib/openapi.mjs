// The operations the served docs/openapi.yaml describes, read with a small line parser
// (paths at two spaces, methods at four), so the isolation test covers every endpoint the
// API documents as it grows — not only the ones known when the test was written.
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operations(yamlText) {
  const lines = yamlText.split('\n');
  let base = '';
  const serverUrl = /^servers:\s*\n\s*-\s*url:\s*['"]?([^'"\s]+)/m.exec(yamlText);
  if (serverUrl && serverUrl[1].startsWith('/')) base = serverUrl[1].replace(/\/$/, '');
  const result = [];
  let inPaths = false;
  let current = null;
  for (const line of lines) {
    if (/^paths:/.test(line)) {
      inPaths = true;
      continue;
    }
    if (inPaths && /^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    const path = /^ {2}(['"]?)(\/[^'":]*)\1:\s*$/.exec(line);
    if (path) {
      current = path[2].startsWith('/api/') || path[2].startsWith('/healthz') ||
        path[2].startsWith('/readyz') || path[2].startsWith('/metrics')
        ? path[2]
        : base + path[2];
      continue;
    }
    const method = /^ {4}([a-z]+):(\s|$)/.exec(line);
    if (current && method && METHODS.includes(method[1])) result.push({ method: method[1].toUpperCase(), path: current });
  }
  return result;
}
