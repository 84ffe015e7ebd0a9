#include "terminal_qr.h"

#include <qrencode.h>

namespace host {

namespace {

constexpr int kQuietZone = 4;
constexpr const char* kBlackOnWhite = "\x1b[30;47m";
constexpr const char* kReset = "\x1b[0m";

}  // namespace

std::string terminalQr(const char* text) {
  // Level M; case sensitive so the hint lets libqrencode pick alphanumeric mode for an upper-case
  // code (SL1-... fits version 3, 29 modules) and bytes for anything else, e.g. a link.
  QRcode* qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == nullptr) return "";
  const int size = qr->width;
  const int side = size + 2 * kQuietZone;
  auto dark = [&](int row, int col) {
    const int r = row - kQuietZone;
    const int c = col - kQuietZone;
    return r >= 0 && r < size && c >= 0 && c < size && (qr->data[r * size + c] & 1) != 0;
  };
  std::string out;
  for (int row = 0; row < side; row += 2) {
    out += kBlackOnWhite;
    for (int col = 0; col < side; ++col) {
      // An odd side leaves the last line's lower half past the symbol: light, like the quiet zone.
      const bool top = dark(row, col);
      const bool bottom = row + 1 < side && dark(row + 1, col);
      out += top ? (bottom ? "\u2588" : "\u2580") : (bottom ? "\u2584" : " ");
    }
    out += kReset;
    out += '\n';
  }
  QRcode_free(qr);
  return out;
}

}  // namespace host
