-- The corpus tier's check of the lua interpreter (tests/corpus/corpus.sh):
-- the same output from the goc build and the cc build, and no error.
local out = {}
local function put(...)
    local p = table.pack(...)
    for i = 1, p.n do p[i] = tostring(p[i]) end
    out[#out + 1] = table.concat(p, " ")
end

-- numbers, integer/float, string formatting
put(string.format("%d %.3f %x %q", 2^31 | 0, math.pi, 255, "a\nb"))
put(7 // 2, 7 % -3, 2^0.5 > 1.41, math.maxinteger, math.mininteger)
put(tostring(1e308 * 10), tostring(-(0/0) ~= -(0/0)))

-- strings and patterns
local s = "The quick brown fox jumps over the lazy dog"
put(s:upper(), #s, s:find("fox"), s:gsub("o", "0"))
for w in s:gmatch("%a+") do if #w > 4 then put(w) end end
put(("x"):rep(5, ","), s:sub(-3), s:byte(1), utf8.char(228, 8364))

-- tables, sorting, closures
local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1009 end
table.sort(t)
put(t[1], t[500], t[1000], #t, select("#", table.unpack(t, 1, 10)))
local function counter() local n = 0; return function() n = n + 1; return n end end
local c1, c2 = counter(), counter()
c1(); c1()
put(c1(), c2())

-- metatables
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__tostring = function(v) return "V(" .. v.x .. ")" end
put(tostring(setmetatable({x = 1}, V) + setmetatable({x = 2}, V)))

-- coroutines (Lua's own, on setjmp/longjmp)
local gen = coroutine.wrap(function()
    for i = 1, 5 do coroutine.yield(i * i) end
end)
local sq = {}
for _ = 1, 5 do sq[#sq + 1] = gen() end
put(table.concat(sq, ","))

-- errors, pcall, error objects
local ok, err = pcall(function() error({code = 42}) end)
put(ok, type(err), err.code)
ok, err = pcall(function() local x = nil; return x.y end)
put(ok, (err:gsub("^.-:%d+: ", "")))

-- recursion and the garbage collector
local function fib(n) return n < 2 and n or fib(n - 1) + fib(n - 2) end
put(fib(25))
local weak = setmetatable({}, {__mode = "k"})
for i = 1, 100 do weak[{}] = i end
collectgarbage("collect")
local left = 0
for _ in pairs(weak) do left = left + 1 end
put("weak entries left", left)
local big = {}
for i = 1, 200000 do big[i] = {i} end
big = nil
collectgarbage()
put(collectgarbage("count") < 10000)

-- load, string.pack, os/io basics
put(load("return 1 + 2")(), string.unpack("<i4", string.pack("<i4", -5)))
put(os.time{year = 2020, month = 1, day = 1, hour = 12} > 0, type(io.write))

for _, l in ipairs(out) do print(l) end
