#include "improv_stdio.h"

#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "host_ports.h"
#include "improv.h"

namespace host {
namespace {

class StdoutSink : public smartlock::ByteSink {
 public:
  void write(const uint8_t* data, size_t n) override {
    while (n > 0) {
      const ssize_t w = ::write(STDOUT_FILENO, data, n);
      if (w <= 0) return;  // the client went away; EOF on stdin ends the run
      data += w;
      n -= static_cast<size_t>(w);
    }
  }
};

class PretendWifi : public smartlock::WifiPort {
 public:
  PretendWifi(smartlock::Clock& clock, bool reject) : clock_(clock), reject_(reject) {}
  void connect(const char* ssid, const char* /*password*/) override {
    std::fprintf(stderr, "[wifi] connecting to '%s'\n", ssid);  // never the password
    startedMs_ = clock_.millis();
    connecting_ = true;
  }
  smartlock::WifiStatus status() override {
    if (!connecting_) return smartlock::WifiStatus::Idle;
    if (clock_.millis() - startedMs_ < 200) return smartlock::WifiStatus::Connecting;
    return reject_ ? smartlock::WifiStatus::Failed : smartlock::WifiStatus::Connected;
  }
  size_t scan(Network* out, size_t cap) override {
    if (cap == 0) return 0;
    std::strcpy(out[0].ssid, "virtual-wifi");
    out[0].rssi = -42;
    out[0].secured = true;
    return 1;
  }

 private:
  smartlock::Clock& clock_;
  bool reject_;
  uint32_t startedMs_ = 0;
  bool connecting_ = false;
};

}  // namespace

int runImprovStdio(const ImprovStdioOptions& o, volatile sig_atomic_t* stop) {
  SystemClock clock;
  FileStorage storage(o.stateDir);
  smartlock::StorageSettingsStore store(storage);
  StdoutSink sink;
  PretendWifi wifi(clock, o.wifiReject);
  smartlock::LockProvisioning existing;
  const bool had = store.loadLock(existing);
  smartlock::ImprovSession session(sink, wifi, store, clock,
                                   smartlock::ImprovInfo{"smartlock", "virtual-2", "host", had ? existing.deviceId : "Smartlock"});
  std::fprintf(stderr, "[improv] waiting for Improv Wi-Fi packets on stdin (state in %s)\n", o.stateDir.c_str());
  smartlock::improv::State last = session.state();
  while (!*stop) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (::poll(&p, 1, 5) > 0 && (p.revents & (POLLIN | POLLHUP))) {
      uint8_t buf[256];
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) break;  // EOF: the client is done
      for (ssize_t i = 0; i < n; ++i) session.push(buf[i]);
    }
    session.loop();
    if (session.state() != last) {
      last = session.state();
      std::fprintf(stderr, "[improv] state %s\n", last == smartlock::improv::State::Provisioned    ? "provisioned"
                                                  : last == smartlock::improv::State::Provisioning ? "provisioning"
                                                                                                   : "ready");
    }
  }
  std::fprintf(stderr, "[improv] done: Wi-Fi %s, lock provisioning %s\n", session.wifiSaved() ? "stored" : "unchanged",
               session.lockSaved() ? "stored" : "unchanged");
  return 0;
}

}  // namespace host
