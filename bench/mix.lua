-- A realistic mix of Kaleyra callbacks for wrk: every request a new event (unique eventId), except a share of
-- exact repeats (Kaleyra retrying), in the proportions of a campaign day:
--   45% delivery reports, 35% replies and taps (CRM), 10% opt-outs (STOP, UNSUBSCRIBE), 5% typing, 5% repeats.
-- wrk runs one Lua state per thread; "thread_id" keeps ids unique across threads.
local counter = 0
-- RCS_BENCH_IDS=random: event and message ids in no order, as Kaleyra's are (default: ordered per thread)
local random_ids = os.getenv("RCS_BENCH_IDS") == "random"
-- thread_id is a global that setup() sets in each thread's Lua state (a local here would shadow it, and
-- both threads would send the same ids)
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local function body(kind, id, n)
  local msisdn = string.format("1978%07d", (thread_id * 1000003 + n) % 10000000)
  if kind == "dr" then
    return '{"code":"4000","message":"sent","data":{"type":"SENT","eventId":"' .. id ..
      '","from":"kio_rcs","to":"' .. msisdn .. '","sentAt":"2026-04-20T09:10:00.120Z","messageId":"m-' .. id ..
      '","carrierId":"VZ"},"error":{}}'
  elseif kind == "reply" then
    return '{"code":"2007","message":"Mobile-originated message received from the carrier","data":{"type":"USER_MESSAGE","eventId":"' ..
      id .. '","from":"' .. msisdn .. '","to":"kio_rcs","sentAt":"2026-04-16T13:28:41.124Z","messageId":"m-' .. id ..
      '","userMessage":{"type":"RESPONSE","response":{"text":"Avail-Offer","postbackData":"flight_offer","type":"REPLY","mo_type":"REPLY"}},"carrierId":"ATT"},"error":{}}'
  elseif kind == "stop" then
    return '{"code":"4007","message":"Mobile-originated message received from the carrier","data":{"type":"USER_MESSAGE","eventId":"' ..
      id .. '","from":"' .. msisdn .. '","to":"kio_rcs","sentAt":"2026-04-20T09:01:28.671Z","messageId":"m-' .. id ..
      '","userMessage":{"type":"TEXT","text":"STOP"},"carrierId":"VZ"},"error":{}}'
  else
    return '{"code":"4003","message":"Composing notification received from the carrier","data":{"type":"COMPOSING","from":"' ..
      msisdn .. '","to":"kio_rcs","sentAt":"2026-04-16T16:57:46.515Z","messageId":"c-' .. id .. '","carrierId":"VZ"},"error":{}}'
  end
end

local last = nil

function request()
  counter = counter + 1
  local r = counter % 20
  local kind
  if r == 19 and last ~= nil then
    return last -- an exact repeat of the previous callback
  elseif r < 9 then kind = "dr"
  elseif r < 16 then kind = "reply"
  elseif r < 18 then kind = "stop"
  else kind = "typing" end
  local id = "w" .. thread_id .. "-" .. os.time() .. "-" .. counter
  if random_ids then
    -- Kaleyra's own ids are random ("Mx0g83M74OQgSXGK60iZM7Hg"): an index on them takes each row on another page
    id = string.format("Mx%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff)) .. id
  end
  last = wrk.format("POST", "/callbacks/rcs", {["Content-Type"] = "application/json"}, body(kind, id, counter))
  return last
end
