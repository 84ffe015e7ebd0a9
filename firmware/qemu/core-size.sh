#!/bin/sh
# What the linked image keeps of an archive, after --gc-sections: the input sections the linker
# map places from it, as flash (code, constants, unwind tables, data's initial values) and RAM
# (data, bss). Usage: core-size.sh <map> <archive file name, e.g. core.a>
set -e
awk -v lib="$2(" '
  function hex(s,   i, n) {  # mawk has no strtonum
    n = 0; s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
  }
  /^Linker script and memory map/ { placed = 1; next }
  !placed { next }
  # A long section name stands alone, and its address and size follow on the next line.
  /^ [.][^ ]+$/ { name = $1; next }
  index($0, lib) && $0 ~ /0x[0-9a-f]+ +0x[0-9a-f]+ / {
    if ($1 ~ /^0x/) { size = $2 } else { name = $1; size = $3 }
    n = hex(size)
    if (name ~ /^[.](comment|debug|ARM[.]attributes)/) n = 0  # not loaded
    if (name ~ /^[.](bss|tbss)/ || name ~ /COMMON/) ram += n
    else if (name ~ /^[.](data|tdata)/) { ram += n; flash += n }
    else flash += n
    name = ""
  }
  END { printf "  flash %d bytes, RAM %d bytes (what the test image keeps of it, after --gc-sections)\n", flash, ram }
' "$1"
