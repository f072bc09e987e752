/**
 * The Lua scripts of the Redis store. Each port method that reads and writes runs as ONE
 * script, so Redis executes it atomically: no other client's command runs in between, and
 * two processes can never both claim the same person, reply or timer.
 *
 * Every script first reads and checks, and only then writes: a script that stops on an error
 * has written nothing (Redis does not roll back a script's earlier writes). Times are the
 * callers' `now` (epoch ms), never Redis TIME, so injected clocks work; numbers that go back
 * into Redis are passed as the callers' decimal strings, never re-formatted by Lua.
 *
 * The key layout (prefix `P`, default `fs:`; `{u}` is the person's id, a Cluster hash tag):
 *   P meta                  hash: format (data layout version), created (epoch ms)
 *   P seen:<key>            dedupe marker: the `now` it arrived; PX = the 7-day window
 *   P seq                   counter: inbound `seq`s
 *   P in:{u}                hash: seq -> inbound record [key, pageId, receivedAt, recipient, event]
 *   P pending               zset: people with pending inbound, score = their oldest seq
 *   P lease:{u}             "<until>:<owner>"; PX = lease + 60 s (the TTL only collects garbage)
 *   P conv:{u}              hash: rev, fmt, json, oseq (the person's last outbox seq)
 *   P ob:{u}                zset: the person's outbox ids, score = per-person seq
 *   P o:<id>                hash: u, p, s, rc, m, a, nb, ca, lo, lu, by (the committing owner)
 *   P owners                zset: owner -> alive until (epoch ms), from heartbeats and retirements
 *   P held:{owner}          set: people whose outbox head `owner` claimed (lo), to free them when it dies
 *   P holders               set: owners that have a non-empty held set
 *   P ob:id                 counter: outbox ids
 *   P ob:wait               zset: people whose outbox head is not claimable yet, score = when it is
 *   P ob:ready              zset: people whose outbox head is claimable, score = the head's id
 *   P tm:{u}                hash: timer id -> [at, pageId, recipient, inbound key]
 *   P timers                zset: "<user>\0<timer id>", score = at
 *   P count:in, count:out   counters for `stats()`
 */

/** Shared helpers, prepended to every script. ARGV[1] is always the key prefix. */
const PRELUDE = `
local P = ARGV[1]
local function K(name, u) if u then return P .. name .. ':{' .. u .. '}' end return P .. name end
-- True when owner o sent heartbeats and the last one lapsed by now (or it retired).
local function dead(o, now)
  if not o or o == '' then return false end
  local a = redis.call('ZSCORE', K('owners'), o)
  return a ~= false and tonumber(a) <= now
end
-- The holder of a lease on u that has not ended at now (alive or not), else nil.
local function leaseOwner(u, now)
  local v = redis.call('GET', K('lease', u))
  if not v then return nil end
  local i = string.find(v, ':', 1, true)
  if tonumber(string.sub(v, 1, i - 1)) > now then return string.sub(v, i + 1) end
  return nil
end
-- The holder of a lease on u that still counts at now (not ended, owner not dead), else nil.
local function liveOwner(u, now)
  local o = leaseOwner(u, now)
  if o and not dead(o, now) then return o end
  return nil
end
-- Owner o no longer holds the outbox head of u.
local function unhold(o, u)
  if not o or o == '' then return end
  redis.call('SREM', K('held', o), u)
  if redis.call('SCARD', K('held', o)) == 0 then redis.call('SREM', K('holders'), o) end
end
-- Files a person's outbox head under ob:wait at the time it becomes claimable (or nowhere when empty).
local function refreshHead(u)
  redis.call('ZREM', K('ob:ready'), u)
  redis.call('ZREM', K('ob:wait'), u)
  local head = redis.call('ZRANGE', K('ob', u), 0, 0)
  if #head == 0 then return end
  local r = redis.call('HMGET', K('o:' .. head[1]), 'nb', 'lu')
  local at = r[1]
  if r[2] and r[2] ~= '' and tonumber(r[2]) > tonumber(at) then at = r[2] end
  redis.call('ZADD', K('ob:wait'), at, u)
end
-- Appends nOut replies to u's outbox (ARGV from outAt: pageId, recipient, message each) after
-- per-person seq oseq, due at once (nowArg, the caller's decimal string); by: the committing owner.
local function appendOutbox(u, oseq, nOut, outAt, nowArg, by)
  local ok = K('ob', u)
  local wasEmpty = redis.call('ZCARD', ok) == 0
  for j = 0, nOut - 1 do
    local id = redis.call('INCR', K('ob:id'))
    oseq = oseq + 1
    redis.call('HSET', K('o:' .. id), 'u', u, 'p', ARGV[outAt + j * 3], 's', oseq, 'rc', ARGV[outAt + j * 3 + 1],
      'm', ARGV[outAt + j * 3 + 2], 'a', 0, 'nb', nowArg, 'ca', nowArg, 'by', by)
    redis.call('ZADD', ok, oseq, id)
  end
  if nOut > 0 then
    redis.call('INCRBY', K('count:out'), nOut)
    if wasEmpty then redis.call('ZADD', K('ob:wait'), nowArg, u) end
  end
end
-- Replaces u's timers by nTimers (ARGV from timerAt: id, at, inbound key each), whose events go
-- to page and rc; a timer whose key is in fired (its event waits in inbound) is not armed again.
local function replaceTimers(u, nTimers, timerAt, page, rc, fired)
  local tk = K('tm', u)
  for _, id in ipairs(redis.call('HKEYS', tk)) do redis.call('ZREM', K('timers'), u .. '\\0' .. id) end
  redis.call('DEL', tk)
  for j = 0, nTimers - 1 do
    local id, at, key = ARGV[timerAt + j * 3], ARGV[timerAt + j * 3 + 1], ARGV[timerAt + j * 3 + 2]
    if not fired[key] then
      redis.call('HSET', tk, id, cjson.encode({ at, page, rc, key }))
      redis.call('ZADD', K('timers'), at, u .. '\\0' .. id)
    end
  end
end
`;

/** ARGV: P, now, windowMs, n, then n x (key, userId, record). Returns how many were new. */
const ADD_INBOUND = `
local now, win = tonumber(ARGV[2]), ARGV[3]
local added = 0
for i = 0, tonumber(ARGV[4]) - 1 do
  local key, u, rec = ARGV[5 + i * 3], ARGV[6 + i * 3], ARGV[7 + i * 3]
  local sk = K('seen:' .. key)
  local fresh = redis.call('SET', sk, ARGV[2], 'NX', 'PX', win)
  if not fresh then
    local at = tonumber(redis.call('GET', sk))
    if at == nil or at <= now - tonumber(win) then
      redis.call('SET', sk, ARGV[2], 'PX', win)
      fresh = true
    end
  end
  if fresh then
    local seq = redis.call('INCR', K('seq'))
    redis.call('HSET', K('in', u), seq, rec)
    redis.call('ZADD', K('pending'), 'NX', seq, u)
    added = added + 1
  end
end
if added > 0 then redis.call('INCRBY', K('count:in'), added) end
return added
`;

/**
 * ARGV: P, now, until, owner, ttlMs, userId ('' = the first free person).
 * Returns {u, flat in-hash, {rev, fmt, json} of the conversation (false when none)} or nil.
 */
const CLAIM_USER = `
local now, till, owner, ttl, given = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local function take(u)
  redis.call('SET', K('lease', u), till .. ':' .. owner, 'PX', ttl)
  return { u, redis.call('HGETALL', K('in', u)), redis.call('HMGET', K('conv', u), 'rev', 'fmt', 'json') }
end
if given ~= '' then
  if liveOwner(given, now) or redis.call('HLEN', K('in', given)) == 0 then return false end
  return take(given)
end
local start = 0
while true do
  local batch = redis.call('ZRANGE', K('pending'), start, start + 99)
  if #batch == 0 then return false end
  for _, u in ipairs(batch) do
    if not liveOwner(u, now) then return take(u) end
  end
  start = start + 100
end
`;

/** ARGV: P, userId, owner. */
const RELEASE_USER = `
local k = K('lease', ARGV[2])
local v = redis.call('GET', k)
if v and string.sub(v, string.find(v, ':', 1, true) + 1) == ARGV[3] then redis.call('DEL', k) end
return 1
`;

/**
 * ARGV: P, userId, owner, now, expectedRev, format, json, nHandled, seq..., nOut,
 * (pageId, recipient, message)..., nTimers, (id, at, inboundKey)..., release ('1' or '0')
 */
const COMMIT = `
local u, owner, now = ARGV[2], ARGV[3], tonumber(ARGV[4])
if leaseOwner(u, now) ~= owner then return 'lost-lease' end
local ck = K('conv', u)
local rev = tonumber(redis.call('HGET', ck, 'rev') or '0')
if rev ~= tonumber(ARGV[5]) then return 'conflict' end
local pos = 8
local handled = {}
for j = 1, tonumber(ARGV[pos]) do handled[ARGV[pos + j]] = true end
pos = pos + tonumber(ARGV[pos]) + 1
local nOut, outAt = tonumber(ARGV[pos]), pos + 1
pos = pos + 1 + nOut * 3
local nTimers, timerAt = tonumber(ARGV[pos]), pos + 1
-- Read everything first.
local ik, tk = K('in', u), K('tm', u)
local rows = redis.call('HGETALL', ik)
local gone, pendingKeys, lastSeq, last = {}, {}, -1, nil
for j = 1, #rows, 2 do
  local row = cjson.decode(rows[j + 1])
  if handled[rows[j]] then
    gone[#gone + 1] = rows[j]
    if tonumber(rows[j]) > lastSeq then lastSeq, last = tonumber(rows[j]), row end
  else
    pendingKeys[row[1]] = true
  end
end
-- Where the timers' events go (store-rules.ts derivePlace).
local page, rc = '', ''
if last then page, rc = last[2], last[4]
elseif nOut > 0 then page, rc = ARGV[outAt + (nOut - 1) * 3], ARGV[outAt + (nOut - 1) * 3 + 1]
else
  local prev = redis.call('HVALS', tk)
  if #prev > 0 then local t = cjson.decode(prev[1]); page, rc = t[2], t[3] end
end
local oseq = tonumber(redis.call('HGET', ck, 'oseq') or '0')
-- Then write.
if #gone > 0 then
  redis.call('HDEL', ik, unpack(gone))
  redis.call('DECRBY', K('count:in'), #gone)
  local left = redis.call('HKEYS', ik)
  if #left == 0 then redis.call('ZREM', K('pending'), u) else
    local m = nil
    for _, s in ipairs(left) do if m == nil or tonumber(s) < tonumber(m) then m = s end end
    redis.call('ZADD', K('pending'), m, u)
  end
end
redis.call('HSET', ck, 'rev', rev + 1, 'fmt', ARGV[6], 'json', ARGV[7], 'oseq', oseq + nOut)
appendOutbox(u, oseq, nOut, outAt, ARGV[4], owner)
replaceTimers(u, nTimers, timerAt, page, rc, pendingKeys)
-- Gives the lease back with the write (the caller holds it: checked above).
if ARGV[timerAt + nTimers * 3] == '1' then redis.call('DEL', K('lease', u)) end
return 'ok'
`;

/**
 * ARGV: P, userId, now, expectedRev, format, json, key, windowMs, pageId, recipient ('' = none),
 * nOut, (pageId, recipient, message)..., nTimers, (id, at, inboundKey)...
 * The direct path (port.ts commitNow): 'duplicate', 'queue' or 'ok'.
 */
const COMMIT_NOW = `
local u, now, key, win = ARGV[2], tonumber(ARGV[3]), ARGV[7], ARGV[8]
local sk = K('seen:' .. key)
local at = redis.call('GET', sk)
if at and tonumber(at) > now - tonumber(win) then return 'duplicate' end
if redis.call('HLEN', K('in', u)) > 0 or liveOwner(u, now) then return 'queue' end
local ck = K('conv', u)
local r = redis.call('HMGET', ck, 'rev', 'oseq')
local rev = tonumber(r[1] or '0')
if rev ~= tonumber(ARGV[4]) then return 'queue' end
local oseq = tonumber(r[2] or '0')
local nOut, outAt = tonumber(ARGV[11]), 12
local timerAt = outAt + nOut * 3 + 1
local nTimers = tonumber(ARGV[timerAt - 1])
redis.call('SET', sk, ARGV[3], 'PX', win)
redis.call('HSET', ck, 'rev', rev + 1, 'fmt', ARGV[5], 'json', ARGV[6], 'oseq', oseq + nOut)
appendOutbox(u, oseq, nOut, outAt, ARGV[3], '')
-- No pending event, so none of these timers has fired already.
replaceTimers(u, nTimers, timerAt, ARGV[9], ARGV[10], {})
return 'ok'
`;

/** ARGV: P, now, until, owner, limit. Returns a list of {id, u, p, s, rc, m, a, nb, ca}. */
const CLAIM_OUTBOX = `
local now, till, owner, limit = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
-- Heads held by owners that died wait in ob:wait until their lease's end: file them at their
-- notBefore instead, so that they are promoted below (the re-check there judges liveness too).
for _, o in ipairs(redis.call('SMEMBERS', K('holders'))) do
  if dead(o, now) then
    for _, u in ipairs(redis.call('SMEMBERS', K('held', o))) do
      local head = redis.call('ZRANGE', K('ob', u), 0, 0)
      if #head > 0 then
        local r = redis.call('HMGET', K('o:' .. head[1]), 'lo', 'lu', 'nb')
        if r[1] == o and r[2] and tonumber(r[2]) > now then
          redis.call('ZREM', K('ob:ready'), u)
          redis.call('ZADD', K('ob:wait'), r[3], u)
        end
      end
    end
    redis.call('DEL', K('held', o))
    redis.call('SREM', K('holders'), o)
  end
end
-- Heads that became claimable move to ob:ready, where they are ordered by id (oldest first).
local due = redis.call('ZRANGEBYSCORE', K('ob:wait'), '-inf', ARGV[2], 'LIMIT', 0, 5000)
for _, u in ipairs(due) do
  redis.call('ZREM', K('ob:wait'), u)
  local head = redis.call('ZRANGE', K('ob', u), 0, 0)
  if #head > 0 then redis.call('ZADD', K('ob:ready'), head[1], u) end
end
local out, start = {}, 0
while #out < limit do
  local batch = redis.call('ZRANGE', K('ob:ready'), start, start + 99)
  if #batch == 0 then break end
  local skipped = 0
  for _, u in ipairs(batch) do
    if #out >= limit then break end
    local head = redis.call('ZRANGE', K('ob', u), 0, 0)
    if #head == 0 then
      redis.call('ZREM', K('ob:ready'), u)
    else
      local id = head[1]
      local r = redis.call('HMGET', K('o:' .. id), 'u', 'p', 's', 'rc', 'm', 'a', 'nb', 'ca', 'lu', 'lo')
      -- Re-checked with this caller's clock: a head promoted by a process whose clock runs ahead waits.
      if tonumber(r[7]) <= now and (not r[9] or r[9] == '' or tonumber(r[9]) <= now or dead(r[10], now)) then
        if r[10] ~= owner then unhold(r[10], u) end
        redis.call('HSET', K('o:' .. id), 'lo', owner, 'lu', till)
        redis.call('SADD', K('held', owner), u)
        redis.call('SADD', K('holders'), owner)
        redis.call('ZREM', K('ob:ready'), u)
        redis.call('ZADD', K('ob:wait'), till, u)
        out[#out + 1] = { id, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] }
      else
        skipped = skipped + 1
      end
    end
  end
  start = start + skipped
end
return out
`;

/**
 * ARGV: P, userId, now, till, owner. Leases the head of one person's outbox when it is due and
 * nobody alive holds it; returns it as CLAIM_OUTBOX does, or an empty list.
 */
const CLAIM_OUTBOX_OF = `
local u, now, till, owner = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local head = redis.call('ZRANGE', K('ob', u), 0, 0)
if #head == 0 then return {} end
local id = head[1]
local r = redis.call('HMGET', K('o:' .. id), 'u', 'p', 's', 'rc', 'm', 'a', 'nb', 'ca', 'lu', 'lo')
if not r[1] then return {} end
if tonumber(r[7]) > now then return {} end
if r[9] and r[9] ~= '' and tonumber(r[9]) > now and not dead(r[10], now) then return {} end
if r[10] and r[10] ~= owner then unhold(r[10], u) end
redis.call('HSET', K('o:' .. id), 'lo', owner, 'lu', till)
redis.call('SADD', K('held', owner), u)
redis.call('SADD', K('holders'), owner)
redis.call('ZREM', K('ob:ready'), u)
redis.call('ZADD', K('ob:wait'), till, u)
return { id, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] }
`;

/** ARGV: P, id. Removes the record whoever holds it (ack and drop). */
const REMOVE_OUTBOX = `
local id = ARGV[2]
local r = redis.call('HMGET', K('o:' .. id), 'u', 'lo')
local u = r[1]
if not u then return 0 end
unhold(r[2], u)
redis.call('DEL', K('o:' .. id))
redis.call('ZREM', K('ob', u), id)
redis.call('DECR', K('count:out'))
refreshHead(u)
return 1
`;

/** ARGV: P, id, owner, notBefore, attempts. Only while `owner` holds the record. */
const RETRY_OUTBOX = `
local k = K('o:' .. ARGV[2])
local r = redis.call('HMGET', k, 'u', 'lo')
if not r[1] or r[2] ~= ARGV[3] then return 0 end
redis.call('HSET', k, 'nb', ARGV[4], 'a', ARGV[5])
redis.call('HDEL', k, 'lo', 'lu')
unhold(ARGV[3], r[1])
refreshHead(r[1])
return 1
`;

/** ARGV: P, now, limit. Moves due timers into inbound (earliest first); returns how many. */
const FIRE_TIMERS = `
local due = redis.call('ZRANGEBYSCORE', K('timers'), '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local fired = {}
for _, member in ipairs(due) do
  local sep = string.find(member, '\\0', 1, true)
  local u, id = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
  local v = redis.call('HGET', K('tm', u), id)
  local t = v and cjson.decode(v) or nil
  fired[#fired + 1] = { member, u, id, t }
end
for _, f in ipairs(fired) do
  local member, u, id, t = f[1], f[2], f[3], f[4]
  redis.call('ZREM', K('timers'), member)
  if t then
    local at, page, rc, key = t[1], t[2], t[3], t[4]
    local event = '{"userId":' .. cjson.encode(u) .. ',"pageId":' .. cjson.encode(page)
    if rc ~= '' then event = event .. ',"recipient":' .. rc end
    event = event .. ',"event":{"kind":"timer","timerId":' .. cjson.encode(id) .. '},"timestamp":' .. at .. '}'
    local seq = redis.call('INCR', K('seq'))
    redis.call('HSET', K('in', u), seq, cjson.encode({ key, page, ARGV[2], rc, event }))
    redis.call('ZADD', K('pending'), 'NX', seq, u)
    redis.call('INCR', K('count:in'))
    redis.call('HDEL', K('tm', u), id)
  end
end
return #fired
`;

/** ARGV: P, owner, aliveUntil, forgetBefore. Records the heartbeat; forgets owners dead since before forgetBefore. */
const HEARTBEAT = `
local gone = redis.call('ZRANGEBYSCORE', K('owners'), '-inf', ARGV[4], 'LIMIT', 0, 100)
for _, o in ipairs(gone) do
  redis.call('ZREM', K('owners'), o)
  redis.call('DEL', K('held', o))
  redis.call('SREM', K('holders'), o)
end
redis.call('ZADD', K('owners'), ARGV[3], ARGV[2])
return 1
`;

/** ARGV: P. Returns {inbound, outbox, timers}. */
const STATS = `
return { tonumber(redis.call('GET', K('count:in')) or '0'), tonumber(redis.call('GET', K('count:out')) or '0'), redis.call('ZCARD', K('timers')) }
`;

/** ARGV: P. Returns the earliest timer's time (its score), or nil. */
const NEXT_TIMER = `
local first = redis.call('ZRANGE', K('timers'), 0, 0, 'WITHSCORES')
if #first == 0 then return false end
return first[2]
`;

/** The scripts by command name, ready for ioredis `defineCommand` (no declared keys: see docs/deployment.md). */
export const REDIS_SCRIPTS = {
  fsAddInbound: PRELUDE + ADD_INBOUND,
  fsClaimUser: PRELUDE + CLAIM_USER,
  fsReleaseUser: PRELUDE + RELEASE_USER,
  fsCommit: PRELUDE + COMMIT,
  fsCommitNow: PRELUDE + COMMIT_NOW,
  fsClaimOutbox: PRELUDE + CLAIM_OUTBOX,
  fsClaimOutboxOf: PRELUDE + CLAIM_OUTBOX_OF,
  fsRemoveOutbox: PRELUDE + REMOVE_OUTBOX,
  fsRetryOutbox: PRELUDE + RETRY_OUTBOX,
  fsFireTimers: PRELUDE + FIRE_TIMERS,
  fsNextTimer: PRELUDE + NEXT_TIMER,
  fsHeartbeat: PRELUDE + HEARTBEAT,
  fsStats: PRELUDE + STATS,
} as const;

/** The name of one script. */
export type RedisScriptName = keyof typeof REDIS_SCRIPTS;
