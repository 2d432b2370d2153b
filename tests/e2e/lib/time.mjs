// The server's rate limits count in fixed windows (a minute, an hour, a China calendar day).
// A test that fills a window waits, when it starts within a few seconds of the window's end,
// until the next window begins — otherwise the counter could reset halfway through it.
import { sleep } from './server.mjs';

export async function avoidWindowEdge(windowMs, offsetMs = 0, marginMs = 5000) {
  const into = (Date.now() + offsetMs) % windowMs;
  const left = windowMs - into;
  if (left < marginMs) await sleep(left + 200);
}
