/**
 * A QR code drawn in a terminal, for the claim codes `simulate --unclaimed` prints (docs/protocol.md
 * "Claiming"), drawn exactly as the virtual lock draws its own (firmware/host/terminal_qr.cpp):
 * each line holds two rows of modules in Unicode half blocks (▀ ▄ █ and space), ink being a dark
 * module, around it the 4-module quiet zone the QR standard asks for, and every line sets black on
 * white itself (SGR 30;47) and resets after, so the code is dark on light on a dark terminal as on a
 * light one. test/simulator-qr.test.ts decodes what this draws.
 */
import qrcode from 'qrcode-generator';

const QUIET_ZONE = 4;
const BLACK_ON_WHITE = '\x1b[30;47m';
const RESET = '\x1b[0m';
/** QR's alphanumeric set: an upper-case claim code fits it, and so a smaller symbol (version 3). */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/** The lines that draw `text` as a QR code (level M). */
export function terminalQr(text: string): string[] {
  const qr = qrcode(0, 'M');
  qr.addData(text, ALPHANUMERIC.test(text) ? 'Alphanumeric' : 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const side = size + 2 * QUIET_ZONE;
  const dark = (row: number, col: number): boolean => {
    const r = row - QUIET_ZONE;
    const c = col - QUIET_ZONE;
    return r >= 0 && r < size && c >= 0 && c < size && qr.isDark(r, c);
  };
  const lines: string[] = [];
  for (let row = 0; row < side; row += 2) {
    let line = BLACK_ON_WHITE;
    for (let col = 0; col < side; col += 1) {
      // An odd side leaves the last line's lower half past the symbol: light, like the quiet zone.
      const top = dark(row, col);
      const bottom = row + 1 < side && dark(row + 1, col);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(`${line}${RESET}`);
  }
  return lines;
}
