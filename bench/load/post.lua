-- wrk script for `npm run bench`: POSTs the request a generated spec file describes
-- (bench/load/wrk.js writes it from bench/load/requests.js, so wrk and autocannon send the
-- same bytes), with a fresh id stem per request: <nonce>t<thread>-<n>.
-- Arguments after `--`: SPEC_FILE NONCE. The nonce differs for every wrk run, so ids never
-- repeat within JetStream's duplicate window.
local spec
local prefix
local headers = {}
local n = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  spec = dofile(args[1])
  prefix = (args[2] or tostring(os.time())) .. "t" .. tostring(thread_number or 1) .. "-"
  for name, value in pairs(spec.headers) do
    headers[name] = value
  end
end

function request()
  n = n + 1
  local stem = prefix .. n
  for name, parts in pairs(spec.idHeaders) do
    headers[name] = table.concat(parts, stem)
  end
  return wrk.format(spec.method, spec.path, headers, table.concat(spec.body, stem))
end

-- One machine-readable line; latencies in microseconds. wrk counts statuses >= 400 as errors.status.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,'
      .. '"meanUs":%.1f,"statusErrors":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
