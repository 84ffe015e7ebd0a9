// Improv Wi-Fi on the USB serial port (the same port as the log: the parser skips log bytes).
// The protocol and the vendor RPC live in the core (src/core/improv.h); these are its ports.
#pragma once
#include <Arduino.h>
#include <WiFi.h>

#include <cstring>

#include "improv.h"

class SerialSink : public smartlock::ByteSink {
 public:
  void write(const uint8_t* data, size_t n) override { Serial.write(data, n); }
};

class EspWifi : public smartlock::WifiPort {
 public:
  void connect(const char* ssid, const char* password) override {
    WiFi.mode(WIFI_STA);
    WiFi.disconnect();
    WiFi.begin(ssid, password);  // the driver copies both
  }
  smartlock::WifiStatus status() override {
    switch (WiFi.status()) {
      case WL_CONNECTED: return smartlock::WifiStatus::Connected;
      case WL_CONNECT_FAILED:
      case WL_NO_SSID_AVAIL: return smartlock::WifiStatus::Failed;
      default: return smartlock::WifiStatus::Connecting;  // the session's 30 s timeout bounds it
    }
  }
  size_t scan(Network* out, size_t cap) override {
    const int16_t n = WiFi.scanNetworks();  // blocks ~2 s; only on the client's request
    size_t k = 0;
    for (int16_t i = 0; i < n && k < cap; ++i, ++k) {
      std::strncpy(out[k].ssid, WiFi.SSID(i).c_str(), sizeof out[k].ssid - 1);
      out[k].rssi = WiFi.RSSI(i);
      out[k].secured = WiFi.encryptionType(i) != WIFI_AUTH_OPEN;
    }
    WiFi.scanDelete();
    return k;
  }
};
