-- The edge's check of a JSON request's field names (Envoy's Lua filter, before the gRPC-JSON
-- transcoder, which drops a field its message does not have without a word). A body that names
-- such a field, at any depth, is refused with 400 and a google.rpc.Status naming each one, as
-- the gateway names bad fields. Anything else (bad JSON, a wrong type) is the transcoder's to
-- refuse. RULES (HTTP method, Lua pattern of the path, message of the body) and MESSAGES (each
-- message's fields by proto and JSON name) are written above this by services/edge/json_fields.py.

local MAX_DEPTH = 64
local MAX_VIOLATIONS = 20
local MAX_FIELD_CHARS = 128
local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
                  r = "\r", t = "\t" }

local function skip(text, i)
  return string.find(text, "[^ \t\r\n]", i) or #text + 1
end

local function parse_string(text, i)
  local parts, j = {}, i + 1
  while true do
    local k = string.find(text, '["\\]', j)
    if not k then error("unterminated string") end
    parts[#parts + 1] = string.sub(text, j, k - 1)
    if string.sub(text, k, k) == '"' then return table.concat(parts), k + 1 end
    local escape = string.sub(text, k + 1, k + 1)
    if escape == "u" then
      local hex = string.sub(text, k + 2, k + 5)
      if not string.match(hex, "^%x%x%x%x$") then error("bad escape") end
      local code = tonumber(hex, 16)
      parts[#parts + 1] = code < 128 and string.char(code) or ("\\u" .. hex)
      j = k + 6
    elseif ESCAPES[escape] then
      parts[#parts + 1] = ESCAPES[escape]
      j = k + 2
    else
      error("bad escape")
    end
  end
end

-- A JSON value: objects as {keys, values} in their order, arrays as {items}, anything else as
-- the text it is (which scalar it is does not matter here).
local parse_value

local function parse_members(text, i, depth, closing, read)
  i = skip(text, i)
  if string.sub(text, i, i) == closing then return i + 1 end
  while true do
    i = skip(text, read(i, depth))
    local next_char = string.sub(text, i, i)
    if next_char == closing then return i + 1 end
    if next_char ~= "," then error("expected , or " .. closing) end
    i = skip(text, i + 1)
  end
end

parse_value = function(text, i, depth)
  if depth > MAX_DEPTH then error("too deep") end
  i = skip(text, i)
  local first = string.sub(text, i, i)
  if first == "{" then
    local object = { keys = {}, values = {} }
    local after = parse_members(text, i + 1, depth, "}", function(at)
      if string.sub(text, at, at) ~= '"' then error("expected a name") end
      local key, colon = parse_string(text, at)
      colon = skip(text, colon)
      if string.sub(text, colon, colon) ~= ":" then error("expected :") end
      local value, after_value = parse_value(text, colon + 1, depth + 1)
      object.keys[#object.keys + 1] = key
      object.values[#object.values + 1] = value
      return after_value
    end)
    return object, after
  elseif first == "[" then
    local array = { items = {} }
    local after = parse_members(text, i + 1, depth, "]", function(at)
      local value, after_value = parse_value(text, at, depth + 1)
      array.items[#array.items + 1] = value
      return after_value
    end)
    return array, after
  elseif first == '"' then
    return parse_string(text, i)
  end
  local literal = string.match(text, "^[%w%.%+%-]+", i)
  if not literal then error("unexpected character") end
  return literal, i + #literal
end

local function is_object(value) return type(value) == "table" and value.keys ~= nil end
local function is_array(value) return type(value) == "table" and value.items ~= nil end

local check

local function check_value(value, field, where, found)
  if not field.message then return end
  if field.map and is_object(value) then
    for n, key in ipairs(value.keys) do
      check(value.values[n], field.message, where .. "[" .. key .. "]", found)
    end
  elseif is_array(value) then
    for n, item in ipairs(value.items) do
      check(item, field.message, where .. "[" .. (n - 1) .. "]", found)
    end
  else
    check(value, field.message, where, found)
  end
end

-- Every name in the object its message does not have, as "lines[0].gift_wrap".
check = function(value, message, path, found)
  local fields = MESSAGES[message]
  if not fields or not is_object(value) then return end
  local prefix = path == "" and "" or (path .. ".")
  for n, key in ipairs(value.keys) do
    local field = fields[key]
    if not field then
      if #found < MAX_VIOLATIONS then found[#found + 1] = { prefix .. key, message } end
    else
      check_value(value.values[n], field, prefix .. field.name, found)
    end
  end
end

local function quoted(text)
  text = string.sub(text, 1, MAX_FIELD_CHARS)
  return '"' .. string.gsub(text, '[%c"\\\128-\255]', function(c)
    if c == '"' or c == "\\" then return "\\" .. c end
    return "?"
  end) .. '"'
end

local function refusal(found)
  local names, violations = {}, {}
  for n, violation in ipairs(found) do
    names[n] = violation[1]
    violations[n] = '{"field":' .. quoted(violation[1]) .. ',"description":'
      .. quoted("no such field in " .. violation[2]) .. "}"
  end
  local message = "unknown field: " .. table.concat(names, ", ")
  return '{"code":3,"message":' .. quoted(message) .. ',"details":['
    .. '{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"INVALID_REQUEST",'
    .. '"domain":"clickcollect","metadata":{}},'
    .. '{"@type":"type.googleapis.com/google.rpc.BadRequest","field_violations":['
    .. table.concat(violations, ",") .. "]}]}"
end

local function message_of(method, path)
  for _, rule in ipairs(RULES) do
    if rule[1] == method and string.find(path, rule[2]) then return rule[3] end
  end
  return nil
end

function envoy_on_request(handle)
  local headers = handle:headers()
  local path = string.match(headers:get(":path") or "", "^[^?]*")
  local message = message_of(headers:get(":method"), path)
  if not message then return end
  local body = handle:body()
  if not body or body:length() == 0 then return end
  local parsed, value = pcall(parse_value, body:getBytes(0, body:length()), 1, 0)
  if not parsed then return end
  local found = {}
  check(value, message, "", found)
  if #found > 0 then
    handle:streamInfo():dynamicMetadata():set("clickcollect.edge", "refused", "unknown_field")
    handle:respond({ [":status"] = "400", ["content-type"] = "application/json" }, refusal(found))
  end
end
