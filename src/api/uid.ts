// Identifiers the API server prints: the uids it gives objects (version-4-shaped UUIDs printed
// from four seeded 32-bit draws; the draws are the server's) and the hex suffixes of Event names.

/** the character codes of the 16 hex digits */
const DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45, FOUR = 52;
/** the 36 character codes of the uid being printed (one uid at a time: no array per uid) */
const codes: number[] = new Array(36).fill(DASH);

/** hex digits [from, to) of x printed as 8 digits, written at codes[at...] */
function digits(x: number, from: number, to: number, at: number): void {
  for (let i = from; i < to; i++) codes[at + i - from] = DIGIT[(x >>> (28 - 4 * i)) & 15];
}

/**
 * The uid of four draws w0..w3 printed as 8-hex-digit words: `w0-w1[0..4)-4w1[5..8)-vw2[1..4)-w2[4..8)w3`,
 * where v (the variant) is 8 + the low two bits of w2's first digit. Built as one flat string from
 * character codes (a concatenation makes a rope of ~20 pieces, flattened again when first hashed).
 */
export function formatUid(x0: number, x1: number, x2: number, x3: number): string {
  digits(x0, 0, 8, 0); // codes[8] is a dash
  digits(x1, 0, 4, 9); // codes[13] is a dash
  codes[14] = FOUR;
  digits(x1, 5, 8, 15); // codes[18] is a dash
  codes[19] = DIGIT[8 + ((x2 >>> 28) & 3)];
  digits(x2, 1, 4, 20); // codes[23] is a dash
  digits(x2, 4, 8, 24);
  digits(x3, 0, 8, 28);
  return String.fromCharCode.apply(null, codes);
}

/** a byte's two hex digits */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * n.toString(16) for a non-negative integer up to 2^53, from 32-bit halves and a digit table
 * (a double's radix conversion is the slow path of toString).
 */
export function hexInteger(n: number): string {
  if (!(n >= 4294967296 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) return n.toString(16);
  const lo = n >>> 0;
  return Math.floor(n / 4294967296).toString(16) + HEX_BYTE[lo >>> 24] + HEX_BYTE[(lo >>> 16) & 255] + HEX_BYTE[(lo >>> 8) & 255] + HEX_BYTE[lo & 255];
}
