#pragma once
// Formats one bounded log line and hands it to the logger (if any): the shared body of the
// components' printf-style log() helpers, so no component allocates to log.
#include <cstdarg>
#include <cstdio>

#include "ports.h"

namespace smartlock {

inline void vlogLine(Logger* logger, const char* fmt, va_list args) {
  if (logger == nullptr) return;
  char line[160];
  std::vsnprintf(line, sizeof line, fmt, args);
  logger->log(line);
}

}  // namespace smartlock
