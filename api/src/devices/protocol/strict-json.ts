/**
 * The protocol's byte rules, checked before JSON.parse (which would silently
 * keep the last of duplicate members, accept whitespace, `7.0`, `7e0`, `-0`
 * and `\u` escapes). Matching the firmware's strict codec byte for byte:
 * printable ASCII, no escapes, no arrays, no whitespace, unique members,
 * objects nested at most `maxDepth`, integers as -?(0|[1-9][0-9]*) and never -0.
 * Every message passes through here: one pass over char codes, no slices or
 * regular expressions for numbers, and member names compared where they lie in
 * the text rather than copied into a Set (bench/heartbeat-path.mjs).
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

const isDigit = (code: number) => code >= ZERO && code <= NINE;

/**
 * Member names seen so far in each open object, as [start, end) positions in the text: reused
 * from call to call (the check is synchronous), so a message allocates nothing for them.
 */
const nameStarts: number[][] = [];
const nameEnds: number[][] = [];
const nameCounts: number[] = [];

/** Records the name at [start, end) in the object at `level`; false if that object already has it. */
function addUniqueName(text: string, level: number, start: number, end: number): boolean {
  const starts = (nameStarts[level] ??= []);
  const ends = (nameEnds[level] ??= []);
  const count = nameCounts[level] ?? 0;
  const length = end - start;
  for (let n = 0; n < count; n++) {
    const other = starts[n] ?? 0;
    if ((ends[n] ?? 0) - other === length && sameChars(text, other, start, length)) return false;
  }
  starts[count] = start;
  ends[count] = end;
  nameCounts[level] = count + 1;
  return true;
}

function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

export function isCompactUniqueJson(text: string, maxDepth = 2): boolean {
  const length = text.length;
  let depth = 0;
  let expectingKey = false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === BACKSLASH) return false; // printable ASCII, no escapes
    if (code === QUOTE) {
      let end = i + 1;
      for (; end < length; end++) {
        const inner = text.charCodeAt(end);
        if (inner === QUOTE) break;
        if (inner < 0x20 || inner > 0x7e || inner === BACKSLASH) return false;
      }
      if (end >= length) return false;
      if (expectingKey) {
        if (depth === 0 || !addUniqueName(text, depth - 1, i + 1, end)) return false;
        expectingKey = false;
      }
      i = end;
    } else if (code === OPEN) {
      depth += 1;
      if (depth > maxDepth) return false;
      nameCounts[depth - 1] = 0;
      expectingKey = true;
    } else if (code === CLOSE) {
      depth -= 1;
      expectingKey = false;
    } else if (code === COMMA) {
      expectingKey = depth > 0;
    } else if (code === MINUS || isDigit(code)) {
      // An integer runs to the next `,` or `}`: -?(0|[1-9][0-9]*), and not -0.
      let at = code === MINUS ? i + 1 : i;
      const first = at < length ? text.charCodeAt(at) : -1;
      if (!isDigit(first)) return false;
      if (first === ZERO && code === MINUS) return false;
      at += 1;
      if (first !== ZERO) while (at < length && isDigit(text.charCodeAt(at))) at += 1;
      const next = at < length ? text.charCodeAt(at) : -1;
      if (next !== COMMA && next !== CLOSE && next !== -1) return false;
      i = at - 1;
    } else if (code !== COLON && !(code >= LOWER_A && code <= LOWER_Z)) {
      return false; // arrays, whitespace, `+`: nothing else may appear outside strings (letters: true/false/null)
    }
  }
  return depth === 0;
}
