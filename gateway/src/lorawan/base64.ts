// Strict base64 (RFC 4648, standard alphabet, padding optional): Buffer.from(s, "base64")
// silently skips garbage, which would turn a corrupt payload into a different valid-looking one.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function decodeBase64Strict(s: string): Uint8Array | null {
  if (!BASE64.test(s)) return null;
  return new Uint8Array(Buffer.from(s, "base64"));
}
