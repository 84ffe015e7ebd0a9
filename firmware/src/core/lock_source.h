// Where the lock's settings and its secret K come from (firmware/README.md, "Secrets at rest"):
//
//   1. NVS, written by the onboarding flow: Improv over USB (the vendor RPC, improv.h) or a claim by
//      the code on the box (adoptClaim, unclaimed_app.h). This is the only source of a release build.
//   2. A development build only, while NVS holds none: the values compiled in from secrets.h. Refused
//      when the secret is missing, malformed or a placeholder (the example's text, one digit repeated,
//      a worked example of the docs), and when the build is a release build.
//   3. Otherwise none: the lock waits to be claimed (or provisioned over Improv).
//
// A lock running on a compiled-in secret says so loudly: at boot in the log, and in every status as
// its issue (kIssueCompiledSecret), so the app shows it next to the lock.
#pragma once
#include <cstdint>

#include "improv.h"
#include "ports.h"

namespace smartlock {

// At most kIssueMax (64) characters of printable ASCII, like every issue.
constexpr char kIssueCompiledSecret[] = "development build: secret compiled in";

// The values of secrets.h, as the sketch hands them over. nullptr or "" means "not given".
struct CompiledLock {
  const char* deviceId = nullptr;
  const char* secretHex = nullptr;
  const char* host = nullptr;
  uint16_t port = 0;      // the broker's port, plain or TLS as `tls` says
  bool tls = false;
  BrokerTls tlsMode = BrokerTls::Certificate;  // with tls: Psk or Certificate
  const char* prefix = nullptr;
};

enum class CompiledSecret : uint8_t {
  Absent,       // no device id or no secret: nothing compiled in (a lock to be claimed)
  Usable,       // 64 hex digits that are no known placeholder
  Placeholder,  // the example's text, one hex digit repeated, or a secret printed in the docs
  Malformed,    // anything else that is not 64 hex digits
};

CompiledSecret checkCompiledSecret(const char* hex);
const char* compiledSecretName(CompiledSecret c);

enum class LockSource : uint8_t { Nvs, CompiledIn, None };

// Fills out from NVS (through store) or else from compiled, by the rules above, and logs which one
// (never the secret). releaseBuild: a compiled-in secret is refused whatever it holds.
LockSource loadLockSource(SettingsStore& store, const CompiledLock& compiled, bool releaseBuild,
                          LockProvisioning& out, Logger* log);

}  // namespace smartlock
