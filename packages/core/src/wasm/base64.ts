/** Decodes base64 in Node and browsers without Buffer or atob size limits. */
export function decodeBase64(b64: string): Uint8Array {
  const table = new Uint8Array(128);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = table[clean.charCodeAt(i)];
    const b = table[clean.charCodeAt(i + 1)];
    const c = i + 2 < clean.length ? table[clean.charCodeAt(i + 2)] : 0;
    const d = i + 3 < clean.length ? table[clean.charCodeAt(i + 3)] : 0;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Encodes bytes as base64 (standard alphabet, padded) in Node and browsers. */
export function encodeBase64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3 * 4096) {
    let s = '';
    for (let j = i; j < Math.min(bytes.length, i + 3 * 4096); j += 3) {
      const n = (bytes[j] << 16) | ((bytes[j + 1] ?? 0) << 8) | (bytes[j + 2] ?? 0);
      const left = bytes.length - j;
      s +=
        alphabet[(n >> 18) & 63] +
        alphabet[(n >> 12) & 63] +
        (left > 1 ? alphabet[(n >> 6) & 63] : '=') +
        (left > 2 ? alphabet[n & 63] : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}
