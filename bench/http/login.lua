-- The candidate login path as wrk drives it, one connection per thread: send a code to a
-- roster phone, read it from the development outbox (the stand-in for the SMS the
-- candidate receives), log in with it. Counts completed logins and failures.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  step, n, logins, failures = 0, 0, 0, 0
  per_thread = tonumber(args[1]) or 1000
end

function request()
  if step == 0 then
    phone = string.format("138%08d", id * per_thread + (n % per_thread))
    n = n + 1
    return wrk.format("POST", "/api/v1/auth/sms-code", {["Content-Type"] = "application/json"},
                      '{"phone":"' .. phone .. '"}')
  elseif step == 1 then
    return wrk.format("GET", "/api/v1/dev/sms-outbox?phone=" .. phone)
  end
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"},
                    '{"phone":"' .. phone .. '","code":"' .. code ..
                    '","agreements":{"user":"2026-01","privacy":"2026-01"}}')
end

function response(status, headers, body)
  if step == 0 then
    if status == 200 then step = 1 else failures = failures + 1 end
  elseif step == 1 then
    code = body:match('"code":"(%d+)"')
    if code then step = 2 else step = 0; failures = failures + 1 end
  else
    if status == 200 then logins = logins + 1 else failures = failures + 1 end
    step = 0
  end
end

function done(summary, latency, requests)
  local total_logins, total_failures = 0, 0
  for _, t in ipairs(threads) do
    total_logins = total_logins + t:get("logins")
    total_failures = total_failures + t:get("failures")
  end
  io.write(string.format("LOGINS %d FAILURES %d SECONDS %.2f\n", total_logins, total_failures,
                         summary.duration / 1e6))
end
