// A QR code drawn in a terminal, for the claim code the virtual lock prints (docs/protocol.md
// "Claiming"). Host shell only: the ESP32 has no terminal, and the portable core no QR encoder.
//
// Each text line holds two rows of modules in Unicode half blocks (▀ ▄ █ and space), ink being a
// dark module, with the 4-module quiet zone the QR standard asks for. Every line sets black on
// white itself (SGR 30;47) and resets after, so the code is dark on light on a dark terminal as on
// a light one; api/src/simulator/terminal-qr.ts draws the same way, and
// api/test/virtual-lock-qr.test.ts decodes what this prints.
#pragma once
#include <string>

namespace host {

// The lines (each ending in '\n') that draw `text` as a QR code; empty if it cannot be encoded.
std::string terminalQr(const char* text);

}  // namespace host
