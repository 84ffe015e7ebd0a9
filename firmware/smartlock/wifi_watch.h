// ESP32 side of Wi-Fi recovery and the task watchdog: the driver's events are queued from its own
// task and handed to the core's WifiSupervisor in loop(); WifiRadio and Watchdog over Arduino-ESP32
// 2.x (ESP-IDF 4.4). Not compiled here (no Xtensa toolchain): see firmware/README.md.
#pragma once
#include <WiFi.h>
#include <esp_task_wdt.h>
#include <freertos/FreeRTOS.h>
#include <freertos/queue.h>

#include "ports.h"
#include "wifi_supervisor.h"

class EspWifiRadio : public smartlock::WifiRadio {
 public:
  void setNetwork(const char* ssid, const char* password) {
    ssid_ = ssid;
    password_ = password;
  }
  void reconnect() override { WiFi.reconnect(); }
  // Off and on again: what clears the states in which the driver stops retrying by itself.
  void restart() override {
    WiFi.disconnect(/*wifioff=*/true);
    WiFi.mode(WIFI_OFF);
    WiFi.mode(WIFI_STA);
    WiFi.begin(ssid_, password_);
  }

 private:
  const char* ssid_ = "";
  const char* password_ = "";
};

// WiFi.onEvent callbacks run in the Arduino event task; the supervisor lives in loop(). A small
// queue carries the events across without locks (an event lost to a full queue is caught by the
// supervisor's timers).
class WifiEventQueue {
 public:
  bool begin() {
    queue_ = xQueueCreate(8, sizeof(Event));
    if (queue_ == nullptr) return false;
    self_ = this;
    WiFi.onEvent(&WifiEventQueue::onEvent);
    return true;
  }
  void drainInto(smartlock::WifiSupervisor& wifi) {
    Event e;
    while (queue_ != nullptr && xQueueReceive(queue_, &e, 0) == pdTRUE) {
      switch (e.kind) {
        case Kind::Connected: wifi.onConnected(); break;
        case Kind::GotIp: wifi.onGotIp(); break;
        case Kind::LostIp: wifi.onLostIp(); break;
        case Kind::Disconnected: wifi.onDisconnected(e.reason); break;
      }
    }
  }

 private:
  enum class Kind : uint8_t { Connected, GotIp, LostIp, Disconnected };
  struct Event {
    Kind kind;
    uint8_t reason;
  };
  static void onEvent(arduino_event_id_t id, arduino_event_info_t info) {
    Event e{Kind::Connected, 0};
    switch (id) {
      case ARDUINO_EVENT_WIFI_STA_CONNECTED: e.kind = Kind::Connected; break;
      case ARDUINO_EVENT_WIFI_STA_GOT_IP: e.kind = Kind::GotIp; break;
      case ARDUINO_EVENT_WIFI_STA_LOST_IP: e.kind = Kind::LostIp; break;
      case ARDUINO_EVENT_WIFI_STA_DISCONNECTED:
        e.kind = Kind::Disconnected;
        e.reason = info.wifi_sta_disconnected.reason;
        break;
      default: return;
    }
    if (self_ != nullptr) xQueueSend(self_->queue_, &e, 0);
  }
  static inline WifiEventQueue* self_ = nullptr;
  QueueHandle_t queue_ = nullptr;
};

// The ESP-IDF task watchdog on the loop task. Its timeout must exceed the longest call that still
// blocks the loop (README "Never blocks": an HTTPS image download's open(); MQTT runs on the network
// thread, which is not watched: see there); on ESP-IDF 4.4 esp_task_wdt_init() on an initialised
// TWDT updates its timeout and panic settings.
class TaskWatchdog : public smartlock::Watchdog {
 public:
  static constexpr uint32_t kTimeoutS = 30;
  bool begin() {
    esp_task_wdt_init(kTimeoutS, /*panic=*/true);  // panic: reset the chip
    return esp_task_wdt_add(nullptr) == ESP_OK;   // nullptr: the calling (loop) task
  }
  void feed() override { esp_task_wdt_reset(); }
};
