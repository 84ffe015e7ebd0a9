// Arduino/ESP32 implementations of the core's ports. Each is a few lines over the platform API.
#pragma once
#include <Arduino.h>
#include <Preferences.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_sleep.h>

#include "led_actuator.h"
#include "network_thread_transport.h"
#include "ports.h"
#include "power_policy.h"

// Only the monotonic millis() matters: the core takes wall time from the server's signed time
// messages (ServerClock, docs/protocol.md §7a). SNTP is unauthenticated, so its time() is never
// offered to the core (it stays only for TLS certificate dates, see smartlock.ino).
class ArduinoClock : public smartlock::Clock {
 public:
  uint32_t millis() override { return ::millis(); }
  std::optional<int64_t> unixTime() override { return std::nullopt; }
};

// NVS through Preferences: each put commits, so a value returned as stored survives a power cut.
class NvsStorage : public smartlock::Storage {
 public:
  bool begin() { return prefs_.begin("smartlock", false); }
  std::optional<uint64_t> load(const char* key) override {
    if (!prefs_.isKey(key)) return std::nullopt;
    return prefs_.getULong64(key, 0);
  }
  bool store(const char* key, uint64_t value) override {
    return prefs_.putULong64(key, value) == sizeof(uint64_t);
  }
  bool storeText(const char* key, const char* value) override {
    return prefs_.putString(key, value) == strlen(value);
  }
  bool loadText(const char* key, char* out, size_t cap) override {
    if (!prefs_.isKey(key)) return false;
    const size_t n = prefs_.getString(key, out, cap);  // length incl. NUL, 0 if it does not fit
    return n > 0;
  }

 private:
  Preferences prefs_;
};

class EspRandom : public smartlock::Random {
 public:
  uint32_t next() override { return esp_random(); }  // hardware RNG
};

// Red = locked, green = unlocked, both alternating while moving, red flashing when jammed.
class GpioLeds : public smartlock::LedIndicator {
 public:
  GpioLeds(uint8_t red, uint8_t green) : red_(red), green_(green) {}
  void begin() {
    pinMode(red_, OUTPUT);
    pinMode(green_, OUTPUT);
  }
  void show(smartlock::Indication what) override {
    what_ = what;
    set(what == smartlock::Indication::Locked, what == smartlock::Indication::Unlocked);
  }
  void tick(uint32_t nowMs) override {
    if (what_ == smartlock::Indication::Moving) {
      const bool phase = (nowMs / 250) % 2;
      set(phase, !phase);
    } else if (what_ == smartlock::Indication::Jammed) {
      set((nowMs / 100) % 2, false);
    }
  }

 private:
  void set(bool red, bool green) {
    digitalWrite(red_, red ? HIGH : LOW);
    digitalWrite(green_, green ? HIGH : LOW);
  }
  uint8_t red_, green_;
  smartlock::Indication what_ = smartlock::Indication::Moving;
};

class WifiTelemetry : public smartlock::Telemetry {
 public:
  std::optional<int32_t> rssi() override {
    if (WiFi.status() != WL_CONNECTED) return std::nullopt;
    return static_cast<int32_t>(WiFi.RSSI());
  }
  std::optional<smartlock::Power> power() override { return smartlock::Power::Mains; }  // USB-powered devkit
};

// The battery profile's light sleep (power_policy.h; firmware/README.md, "Battery"). Modem sleep keeps
// the Wi-Fi association between DTIM beacons; the timer brings the loop back after at most `ms`.
// Not compiled here (no Xtensa toolchain): written against ESP-IDF's esp_sleep.h and esp_wifi.h.
// Light sleep stops every task, the network thread's too: not while it has a publish to send or
// an attempt under way (LockApp knows only its own queue).
class LightSleeper : public smartlock::Sleeper {
 public:
  explicit LightSleeper(smartlock::NetworkThreadTransport* network) : network_(network) {}
  void begin() { WiFi.setSleep(WIFI_PS_MAX_MODEM); }
  void lightSleep(uint32_t ms) override {
    if (network_ != nullptr && !network_->idle()) return;
    esp_sleep_enable_timer_wakeup(static_cast<uint64_t>(ms) * 1000ULL);
    esp_light_sleep_start();
  }

 private:
  smartlock::NetworkThreadTransport* network_;
};

class SerialLogger : public smartlock::Logger {
 public:
  // One write per line: the network thread logs too, and HardwareSerial locks per call.
  void log(const char* line) override { Serial.printf("[lock] %s\n", line); }
};
