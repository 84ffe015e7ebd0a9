#include "wifi_supervisor.h"

#include <cstdarg>

#include "log_line.h"
#include "net_reason_names.h"

namespace smartlock {

WifiSupervisor::WifiSupervisor(WifiRadio& radio, Clock& clock, Logger* logger, const WifiSupervisorConfig& config)
    : radio_(radio), clock_(clock), logger_(logger), cfg_(config) {}

void WifiSupervisor::log(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vlogLine(logger_, fmt, args);
  va_end(args);
}

void WifiSupervisor::begin() {
  const uint32_t now = clock_.millis();
  lastRestart_ = now;
  noIpSince_ = now;
  state_ = WifiState::Joining;
  nextTryAt_ = now + cfg_.reconnectEveryMs;  // the join just started: give it time before nudging it
}

void WifiSupervisor::joining(uint32_t now, uint32_t firstTryInMs) {
  if (state_ == WifiState::Online) noIpSince_ = now;
  state_ = WifiState::Joining;
  nextTryAt_ = now + firstTryInMs;
}

void WifiSupervisor::onConnected() { log("wifi: associated, waiting for an IP address"); }

void WifiSupervisor::onGotIp() {
  if (state_ != WifiState::Online) log("wifi: got an IP address");
  state_ = WifiState::Online;
}

void WifiSupervisor::onLostIp() {
  if (state_ != WifiState::Online) return;
  log("wifi: lost the IP address");
  joining(clock_.millis(), cfg_.reconnectAfterMs);
}

void WifiSupervisor::onDisconnected(uint8_t reason) {
  lastReason_ = reason;
  const bool wasOnline = state_ == WifiState::Online;
  // While joining the driver reports every failed try: log them, but keep the timers running.
  log("wifi: disconnected (%s, %u)", wifiReasonName(reason), (unsigned)reason);
  if (wasOnline) joining(clock_.millis(), cfg_.reconnectAfterMs);
}

void WifiSupervisor::loop() {
  if (state_ == WifiState::Online) return;
  const uint32_t now = clock_.millis();
  const uint32_t sinceRestart = now - lastRestart_;
  if (static_cast<uint32_t>(now - noIpSince_) >= cfg_.restartAfterMs && sinceRestart >= cfg_.restartAfterMs) {
    ++restarts_;
    log("wifi: no IP address for %u s: restarting Wi-Fi", (unsigned)(static_cast<uint32_t>(now - noIpSince_) / 1000));
    radio_.restart();
    lastRestart_ = now;
    nextTryAt_ = now + cfg_.reconnectEveryMs;
    return;
  }
  if (static_cast<int32_t>(now - nextTryAt_) >= 0) {
    ++reconnects_;
    log("wifi: reconnecting");
    radio_.reconnect();
    nextTryAt_ = now + cfg_.reconnectEveryMs;
  }
}

}  // namespace smartlock
