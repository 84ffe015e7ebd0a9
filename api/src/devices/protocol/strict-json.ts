/**
 * The protocol's byte rules, checked before JSON.parse (which would silently
 * keep the last of duplicate members, accept whitespace, `7.0`, `7e0`, `-0`
 * and `\u` escapes). Matching the firmware's strict codec byte for byte:
 * printable ASCII, no escapes, no arrays, no whitespace, unique members,
 * objects nested at most `maxDepth`, integers as -?(0|[1-9][0-9]*) and never -0.
 */
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const PRINTABLE_ASCII_NO_BACKSLASH = /^[\x20-\x5b\x5d-\x7e]*$/;

export function isCompactUniqueJson(text: string, maxDepth = 2): boolean {
  if (!PRINTABLE_ASCII_NO_BACKSLASH.test(text)) return false;
  const keysByDepth: Set<string>[] = [];
  let depth = 0;
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return false;
      if (expectingKey) {
        const keys = keysByDepth[depth - 1];
        const key = text.slice(i + 1, end);
        if (!keys || keys.has(key)) return false;
        keys.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (ch === '{') {
      depth += 1;
      if (depth > maxDepth) return false;
      keysByDepth[depth - 1] = new Set();
      expectingKey = true;
    } else if (ch === '}') {
      depth -= 1;
      expectingKey = false;
    } else if (ch === ',') {
      expectingKey = depth > 0;
    } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '}') end += 1;
      const token = text.slice(i, end);
      if (!INTEGER.test(token) || token === '-0') return false;
      i = end - 1;
    } else if (ch !== ':' && !(ch !== undefined && ch >= 'a' && ch <= 'z')) {
      return false; // arrays, whitespace, `+`: nothing else may appear outside strings (letters: true/false/null)
    }
  }
  return depth === 0;
}
