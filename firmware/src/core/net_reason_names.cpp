#include "net_reason_names.h"

namespace smartlock {
namespace {
struct Named {
  int value;
  const char* name;
};

template <int N>
const char* lookup(const Named (&table)[N], int value) {
  for (const Named& n : table) {
    if (n.value == value) return n.name;
  }
  return "UNKNOWN";
}

const Named kWifiReasons[] = {
    {1, "UNSPECIFIED"},
    {2, "AUTH_EXPIRE"},
    {3, "AUTH_LEAVE"},
    {4, "ASSOC_EXPIRE"},
    {5, "ASSOC_TOOMANY"},
    {6, "NOT_AUTHED"},
    {7, "NOT_ASSOCED"},
    {8, "ASSOC_LEAVE"},
    {9, "ASSOC_NOT_AUTHED"},
    {10, "DISASSOC_PWRCAP_BAD"},
    {11, "DISASSOC_SUPCHAN_BAD"},
    {13, "IE_INVALID"},
    {14, "MIC_FAILURE"},
    {15, "4WAY_HANDSHAKE_TIMEOUT"},
    {16, "GROUP_KEY_UPDATE_TIMEOUT"},
    {17, "IE_IN_4WAY_DIFFERS"},
    {18, "GROUP_CIPHER_INVALID"},
    {19, "PAIRWISE_CIPHER_INVALID"},
    {20, "AKMP_INVALID"},
    {21, "UNSUPP_RSN_IE_VERSION"},
    {22, "INVALID_RSN_IE_CAP"},
    {23, "802_1X_AUTH_FAILED"},
    {24, "CIPHER_SUITE_REJECTED"},
    {200, "BEACON_TIMEOUT"},
    {201, "NO_AP_FOUND"},
    {202, "AUTH_FAIL"},
    {203, "ASSOC_FAIL"},
    {204, "HANDSHAKE_TIMEOUT"},
    {205, "CONNECTION_FAIL"},
    {206, "AP_TSF_RESET"},
    {207, "ROAMING"},
};

const Named kMqttErrors[] = {
    {0, "SUCCESS"},
    {-1, "BUFFER_TOO_SHORT"},
    {-2, "VARNUM_OVERFLOW"},
    {-3, "NETWORK_FAILED_CONNECT"},
    {-4, "NETWORK_TIMEOUT"},
    {-5, "NETWORK_FAILED_READ"},
    {-6, "NETWORK_FAILED_WRITE"},
    {-7, "REMAINING_LENGTH_OVERFLOW"},
    {-8, "REMAINING_LENGTH_MISMATCH"},
    {-9, "MISSING_OR_WRONG_PACKET"},
    {-10, "CONNECTION_DENIED"},
    {-11, "FAILED_SUBSCRIPTION"},
    {-12, "SUBACK_ARRAY_OVERFLOW"},
    {-13, "PONG_TIMEOUT"},
};

const Named kMqttReturnCodes[] = {
    {0, "CONNECTION_ACCEPTED"},
    {1, "UNACCEPTABLE_PROTOCOL"},
    {2, "IDENTIFIER_REJECTED"},
    {3, "SERVER_UNAVAILABLE"},
    {4, "BAD_USERNAME_OR_PASSWORD"},
    {5, "NOT_AUTHORIZED"},
    {6, "UNKNOWN_RETURN_CODE"},
};
}  // namespace

const char* wifiReasonName(uint8_t reason) { return lookup(kWifiReasons, reason); }
const char* mqttErrorName(int error) { return lookup(kMqttErrors, error); }
const char* mqttReturnCodeName(int code) { return lookup(kMqttReturnCodes, code); }

}  // namespace smartlock
