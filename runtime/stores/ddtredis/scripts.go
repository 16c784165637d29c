package ddtredis

import "github.com/redis/go-redis/v9"

// saveScript writes a batch of records, then evicts those over the bounds.
// KEYS[1] is the prefix; ARGV: now (µs), max age (ms), max count, version,
// then id, started (µs), client, summary, record for each record.
var saveScript = redis.NewScript(`
local p = KEYS[1]
local now, age, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSETNX', p .. 'meta', 'version', ARGV[4])
local i = 5
while i <= #ARGV do
  local id, started, client = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  redis.call('SET', p .. 'rec:' .. id, ARGV[i + 4], 'PX', age)
  redis.call('HSET', p .. 'sum', id, ARGV[i + 3])
  redis.call('ZADD', p .. 'idx', started, id)
  if client ~= '' then
    redis.call('ZADD', p .. 'cli:' .. client, started, id)
    redis.call('PEXPIRE', p .. 'cli:' .. client, age)
  end
  i = i + 5
end
local function evict(ids)
  for _, id in ipairs(ids) do
    local s = redis.call('HGET', p .. 'sum', id)
    if s then
      local ok, d = pcall(cjson.decode, s)
      if ok and type(d.client) == 'string' and d.client ~= '' then
        redis.call('ZREM', p .. 'cli:' .. d.client, id)
      end
    end
    redis.call('HDEL', p .. 'sum', id)
    redis.call('DEL', p .. 'rec:' .. id)
    redis.call('ZREM', p .. 'idx', id)
  end
end
evict(redis.call('ZRANGEBYSCORE', p .. 'idx', '-inf', '(' .. tostring(now - age * 1000)))
local n = redis.call('ZCARD', p .. 'idx')
if n > max then
  evict(redis.call('ZRANGE', p .. 'idx', 0, n - max - 1))
end
return n
`)

// listScript returns the summaries a filter selects, newest first. KEYS[1]
// is the prefix; ARGV: client, instance, the highest score ("+inf" or
// "(µs"), limit (0: all).
var listScript = redis.NewScript(`
local p = KEYS[1]
local z = p .. 'idx'
if ARGV[1] ~= '' then z = p .. 'cli:' .. ARGV[1] end
local limit = tonumber(ARGV[4])
local out = {}
local offset, page = 0, 256
while true do
  local ids = redis.call('ZREVRANGEBYSCORE', z, ARGV[3], '-inf', 'LIMIT', offset, page)
  if #ids == 0 then return out end
  local sums = redis.call('HMGET', p .. 'sum', unpack(ids))
  for _, s in ipairs(sums) do
    if s then
      local keep = true
      if ARGV[2] ~= '' then
        local ok, d = pcall(cjson.decode, s)
        keep = ok and d.instance == ARGV[2]
      end
      if keep then
        out[#out + 1] = s
        if limit > 0 and #out >= limit then return out end
      end
    end
  end
  offset = offset + page
end
`)
