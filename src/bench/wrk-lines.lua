-- Sends each line of a file once (signed requests are single-use), the lines shared out between wrk's threads.
-- args: FILE MODE THREADS, MODE = "login" (POST the line as the login body) or "sts" (an empty-body POST to the
-- line as the path, as the service itself calls STS).
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
  next_line = 1
end

function request()
  local line = lines[next_line]
  next_line = next_line + 1
  if next_line > #lines then next_line = 1 end
  if mode == "login" then
    return wrk.format("POST", "/v1/auth/alicloud/login", {["Content-Type"] = "application/json"}, line)
  end
  return wrk.format("POST", line, {["Content-Length"] = "0"}, "")
end
