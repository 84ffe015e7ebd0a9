#include "claim_mode.h"

#include <unistd.h>

#include <cstdio>

#include "claim_code.h"
#include "host_ports.h"
#include "terminal_qr.h"
#include "unclaimed_app.h"

namespace host {

bool runUnclaimed(const ClaimModeOptions& o, volatile sig_atomic_t* stop) {
  FileStorage storage(o.stateDir);
  SystemRandom random;
  smartlock::FactoryIdentity id;
  if (!smartlock::loadFactoryIdentity(storage, id)) {
    id = smartlock::newFactoryIdentity(random);
    if (!smartlock::storeFactoryIdentity(storage, id)) {
      std::fprintf(stderr, "virtual-lock: could not store the factory identity in %s\n", o.stateDir.c_str());
      return false;
    }
  }
  char code[smartlock::kClaimCodeLen + 1];
  smartlock::formatClaimCode(id, code);
  std::printf("CLAIM CODE %s\n", code);
  // The code itself, not a link: the lock does not know the app's address, and the app's scanner
  // and its "Add a lock" field take the bare code as they take https://<app>/claim#<code>.
  std::fputs(terminalQr(code).c_str(), stdout);
  std::fflush(stdout);

  MosquittoTransport mqtt(o.url, o.caFile);
  SystemClock clock;
  StderrLogger logger;
  smartlock::UnclaimedConfig cfg;
  cfg.prefix = o.prefix.c_str();
  cfg.fw = "virtual-2";
  cfg.helloEveryMs = static_cast<uint32_t>(o.helloMs);
  smartlock::UnclaimedApp app(id, cfg, mqtt, clock, storage, random, &logger);
  if (!app.begin()) {
    std::fprintf(stderr, "virtual-lock: cannot run unclaimed (prefix too long, or the state directory is not writable)\n");
    return false;
  }
  std::fprintf(stderr, "[lock] unclaimed, factory id %s, on %s:%d, prefix %s\n", id.factoryId, o.url.host.c_str(),
               o.url.port, o.prefix.c_str());
  while (!*stop && app.claimed() == nullptr) {
    app.loop();
    ::usleep(5000);
  }
  app.shutdown();
  if (app.claimed() == nullptr) return false;
  const smartlock::ClaimBroker broker{o.url.host.c_str(), static_cast<uint16_t>(o.url.port), o.prefix.c_str()};
  if (!smartlock::adoptClaim(storage, *app.claimed(), broker)) {
    std::fprintf(stderr, "virtual-lock: could not store the claim\n");
    return false;
  }
  std::printf("CLAIMED %s\n", app.claimed()->deviceId);
  std::fflush(stdout);
  return true;
}

}  // namespace host
