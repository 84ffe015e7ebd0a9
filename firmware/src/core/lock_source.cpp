#include "lock_source.h"

#include <cstdio>
#include <cstring>

namespace smartlock {

namespace {

// Secrets printed in this project's docs (anyone may sign commands with them): the worked examples
// of docs/protocol.md (K, and K' of the v3 rekey example) and the file of docs/provisioning.md.
constexpr const char* kDocumentedSecrets[] = {
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff",
    "2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c",
};

char lowerHex(char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c; }
bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool given(const char* s) { return s != nullptr && s[0] != '\0'; }

void say(Logger* log, const char* line) {
  if (log != nullptr) log->log(line);
}

}  // namespace

CompiledSecret checkCompiledSecret(const char* hex) {
  if (!given(hex)) return CompiledSecret::Absent;
  // secrets.example.h's text ("<64 hex characters of deviceSecret>") and the like.
  if (hex[0] == '<' || std::strstr(hex, "...") != nullptr) return CompiledSecret::Placeholder;
  const size_t n = std::strlen(hex);
  if (n != kSigHexLen) return CompiledSecret::Malformed;
  char lower[kSigHexLen + 1];
  bool oneDigit = true;
  for (size_t i = 0; i < n; ++i) {
    lower[i] = lowerHex(hex[i]);
    if (!isHex(lower[i])) return CompiledSecret::Malformed;
    oneDigit = oneDigit && lower[i] == lower[0];
  }
  lower[n] = '\0';
  if (oneDigit) return CompiledSecret::Placeholder;  // 000…0, fff…f: typed in to make it build
  for (const char* documented : kDocumentedSecrets)
    if (std::strcmp(lower, documented) == 0) return CompiledSecret::Placeholder;
  return CompiledSecret::Usable;
}

const char* compiledSecretName(CompiledSecret c) {
  switch (c) {
    case CompiledSecret::Absent: return "absent";
    case CompiledSecret::Usable: return "usable";
    case CompiledSecret::Placeholder: return "a placeholder";
    case CompiledSecret::Malformed: return "not 64 hex digits";
  }
  return "?";
}

LockSource loadLockSource(SettingsStore& store, const CompiledLock& compiled, bool releaseBuild,
                          LockProvisioning& out, Logger* log) {
  if (store.loadLock(out)) {
    say(log, "config: provisioning and secret from NVS");
    return LockSource::Nvs;
  }
  const bool secretGiven = given(compiled.secretHex);
  if (!given(compiled.deviceId) && !secretGiven) return LockSource::None;  // nothing compiled in: claim
  if (releaseBuild) {
    say(log, "config: a release build never uses a secret compiled in (secrets.h); provision or claim the lock");
    return LockSource::None;
  }
  const CompiledSecret verdict = checkCompiledSecret(compiled.secretHex);
  if (verdict != CompiledSecret::Usable || !given(compiled.deviceId)) {
    char line[160];
    std::snprintf(line, sizeof line, "config: secrets.h refused: the device id is %s and SMARTLOCK_DEVICE_SECRET is %s",
                  given(compiled.deviceId) ? "set" : "empty", compiledSecretName(verdict));
    say(log, line);
    return LockSource::None;
  }
  char portText[8] = {};
  std::snprintf(portText, sizeof portText, "%u", static_cast<unsigned>(compiled.port));
  const char* mode = !compiled.tls ? "" : compiled.tlsMode == BrokerTls::Psk ? "psk" : "certificate";
  auto str = [](const char* s) { return improv::Str{s != nullptr ? s : "", s != nullptr ? std::strlen(s) : 0}; };
  const improv::Str fields[7] = {
      str(compiled.deviceId),
      str(compiled.secretHex),
      str(compiled.host),
      str(compiled.tls ? portText : ""),
      str(compiled.tls ? "" : portText),
      str(mode),
      str(compiled.prefix),
  };
  // The same rules as a provisioning sent over Improv (docs/provisioning.md, "Reading it").
  if (!parseLockProvisioning(fields, out)) {
    say(log, "config: secrets.h refused: its broker, port or topic prefix breaks the provisioning rules");
    return LockSource::None;
  }
  say(log, "config: WARNING: no provisioning in NVS; running on the device secret COMPILED IN from secrets.h");
  say(log, "config: WARNING: development only: anyone with this image or this flash holds the lock's secret;");
  say(log, "config: WARNING: provision the lock over Improv or claim it, and build releases with -D SMARTLOCK_RELEASE_BUILD");
  return LockSource::CompiledIn;
}

}  // namespace smartlock
