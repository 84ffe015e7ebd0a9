// Names for the numbers the network stack gives when something fails, so a log line says
// "wifi: disconnected (AUTH_EXPIRE, 2)" instead of a bare code. Plain tables: the core includes no
// ESP-IDF or arduino-mqtt header, so the values are copied from them (checked in the host tests).
#pragma once
#include <cstdint>

namespace smartlock {

// ESP-IDF's wifi_err_reason_t (esp_wifi_types.h, WIFI_REASON_<name>), the common ones; "UNKNOWN"
// for any other value.
const char* wifiReasonName(uint8_t reason);

// arduino-mqtt's lastError(): lwmqtt_err_t (lwmqtt.h, LWMQTT_<name>), 0 to -13.
const char* mqttErrorName(int error);

// arduino-mqtt's returnCode(): the CONNACK code, lwmqtt_return_code_t (LWMQTT_<name>), 0 to 6.
const char* mqttReturnCodeName(int code);

}  // namespace smartlock
