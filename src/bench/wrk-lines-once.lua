-- wrk-lines.lua (run from the project's root), but each thread stops once it has had an answer to its share of
-- LIMIT requests and then creates the file DONE.<thread>, so that the caller can end wrk (SIGINT: it prints its
-- figures) instead of waiting for its duration. The file must hold more lines than LIMIT, so that no line is sent
-- twice. Apart from wrk-lines.lua because a response() function costs wrk work on every answer.
-- args: FILE MODE THREADS LIMIT DONE
dofile("src/bench/wrk-lines.lua")
local init_lines = init

function init(args)
  init_lines(args)
  limit = math.floor(tonumber(args[4]) / tonumber(args[3]))
  done = args[5] .. "." .. id
  answered = 0
end

function response(status, headers, body)
  answered = answered + 1
  if answered == limit then
    io.open(done, "w"):close()
    wrk.thread:stop()
  end
end
