// `virtual-lock --improv-stdio`: the lock before it is provisioned. Improv Wi-Fi packets arrive on
// stdin and answers go to stdout (raw bytes, nothing else is written there), as they would on the
// ESP32's USB serial port. The Wi-Fi is pretend: a connect succeeds after 200 ms, unless
// --wifi-reject makes every connect fail. What the session stores lands in --state-dir through the
// same keys the ESP32 writes to NVS; a later `virtual-lock --state-dir <dir>` without --device and
// --secret runs from them.
#pragma once
#include <csignal>
#include <string>

namespace host {

struct ImprovStdioOptions {
  std::string stateDir = ".";
  bool wifiReject = false;
};

// Runs until stdin reaches EOF (or SIGINT/SIGTERM); returns the process exit code.
int runImprovStdio(const ImprovStdioOptions& o, volatile sig_atomic_t* stop);

}  // namespace host
