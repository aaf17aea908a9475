-- As wrk-lines.lua, but each thread stops once it has had an answer to its share of LIMIT requests and then creates
-- the file DONE.<thread>, so that the caller can end wrk (SIGINT: it prints its figures) instead of waiting for its
-- duration. The file must hold more lines than LIMIT, so that no line is sent twice. args: FILE MODE THREADS LIMIT DONE
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines = {}
  local n = 0
  local total = tonumber(args[3])
  for line in io.lines(args[1]) do
    if n % total == id then
      lines[#lines + 1] = line
    end
    n = n + 1
  end
  mode = args[2]
  limit = math.floor(tonumber(args[4]) / total)
  done = args[5] .. "." .. id
  next_line = 1
  answered = 0
end

function request()
  local line = lines[next_line]
  next_line = next_line + 1
  if mode == "login" then
    return wrk.format("POST", "/v1/auth/alicloud/login", {["Content-Type"] = "application/json"}, line)
  end
  return wrk.format("POST", line, {["Content-Length"] = "0"}, "")
end

function response(status, headers, body)
  answered = answered + 1
  if answered == limit then
    io.open(done, "w"):close()
    wrk.thread:stop()
  end
end
