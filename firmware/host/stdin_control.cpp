#include "stdin_control.h"

#include <poll.h>
#include <unistd.h>

#include <cstdio>

namespace host {

void StdinControl::poll() {
  if (eof_) return;
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return;
  char buf[256];
  const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
  if (n <= 0) {
    eof_ = true;  // nobody will type any more; the lock runs on
    return;
  }
  pending_.append(buf, static_cast<size_t>(n));
  if (pending_.size() > 4096) pending_.clear();  // no line is that long: junk
  size_t nl;
  while ((nl = pending_.find('\n')) != std::string::npos) {
    std::string line = pending_.substr(0, nl);
    pending_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) apply(line);
  }
}

bool StdinControl::apply(const std::string& line) {
  using smartlock::Action;
  using smartlock::DoorState;
  if (line == "door open" || line == "door closed" || line == "door close") {
    if (door_ == nullptr) {
      std::fprintf(stderr, "[hand] no door sensor (--no-door-sensor): %s ignored\n", line.c_str());
      return false;
    }
    door_->set(line == "door open" ? DoorState::Open : DoorState::Closed);
    std::fprintf(stderr, "[hand] door %s\n", line == "door open" ? "OPEN" : "CLOSED");
    return true;
  }
  if (line == "turn lock" || line == "turn unlock") {
    if (!bolt_.place(line == "turn lock" ? Action::Lock : Action::Unlock)) {
      std::fprintf(stderr, "[hand] the motor is moving: %s ignored\n", line.c_str());
      return false;
    }
    std::fprintf(stderr, "[hand] bolt turned to %s\n", line == "turn lock" ? "LOCKED" : "UNLOCKED");
    return true;
  }
  if (line == "factory reset") {
    resetRequested_ = true;
    std::fprintf(stderr, "[hand] long press: factory reset\n");
    return true;
  }
  if (extra && extra(line)) return true;
  std::fprintf(stderr, "[hand] unknown command '%s' (door open|door closed|turn lock|turn unlock|factory reset|ble-challenge|ble-request <json>)\n",
               line.c_str());
  return false;
}

}  // namespace host
