/**
 * Reads back a QR code drawn in a terminal (firmware/host/terminal_qr.cpp, api/src/simulator/
 * terminal-qr.ts): each line black on white by its own colours, two rows of modules a line in
 * half blocks, ink a dark module. The block characters become a bitmap that a real decoder (jsQR)
 * reads as a camera picture would, without trying the inverted colours: a code drawn the wrong way
 * round, cut, or without its quiet zone reads as null.
 */
import jsQR from 'jsqr';

const BLACK_ON_WHITE = '\x1b[30;47m';
const RESET = '\x1b[0m';
/** Screen pixels per module, as a camera would see a few of them. */
const SCALE = 4;

const HALVES: Record<string, [top: boolean, bottom: boolean]> = {
  ' ': [false, false],
  '▀': [true, false],
  '▄': [false, true],
  '█': [true, true],
};

/** The consecutive QR lines of `lines` starting at `from` (each coloured black on white). */
export function qrLinesAt(lines: readonly string[], from: number): string[] {
  const drawn: string[] = [];
  for (let i = from; i < lines.length && (lines[i] ?? '').startsWith(BLACK_ON_WHITE); i += 1) drawn.push(lines[i] ?? '');
  return drawn;
}

/** The modules the lines draw (true: dark), two rows a line; throws on anything but the four half blocks. */
export function modulesOf(lines: readonly string[]): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of lines) {
    if (!line.startsWith(BLACK_ON_WHITE) || !line.endsWith(RESET)) throw new Error(`not a black-on-white QR line: ${JSON.stringify(line)}`);
    const cells = [...line.slice(BLACK_ON_WHITE.length, -RESET.length)].map((ch) => {
      const halves = HALVES[ch];
      if (!halves) throw new Error(`not a half block: ${JSON.stringify(ch)}`);
      return halves;
    });
    rows.push(cells.map(([top]) => top), cells.map(([, bottom]) => bottom));
  }
  return rows;
}

/** What a QR decoder reads in the drawn lines, or null when it reads nothing. */
export function readTerminalQr(lines: readonly string[]): string | null {
  const modules = modulesOf(lines);
  const height = modules.length * SCALE;
  const width = Math.max(...modules.map((row) => row.length)) * SCALE;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = r * SCALE; y < (r + 1) * SCALE; y += 1) {
        for (let x = c * SCALE; x < (c + 1) * SCALE; x += 1) rgba.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
      }
    }),
  );
  return jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
