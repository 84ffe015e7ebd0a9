// The virtual lock while nobody has claimed it (docs/protocol.md "Claiming"): its factory identity
// (made at its first start and kept in the state directory, as a factory writes it to NVS), its
// code printed on stdout as "CLAIM CODE SL1-..." and then as a QR code (terminal_qr.h), then the
// core's UnclaimedApp over the broker until a claim message gives it a device id and K, which are
// stored as its provisioning.
#pragma once
#include <csignal>
#include <string>

#include "mosquitto_transport.h"

namespace host {

struct ClaimModeOptions {
  BrokerUrl url;
  std::string caFile;
  std::string stateDir;
  std::string prefix;
  long helloMs = 30000;
};

// True once claimed (the provisioning is stored); false if stopped first or on a storage failure.
bool runUnclaimed(const ClaimModeOptions& o, volatile sig_atomic_t* stop);

}  // namespace host
