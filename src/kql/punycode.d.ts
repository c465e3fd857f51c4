/** The part of punycode.js (no published types) that js-text.ts uses. */
declare module 'punycode/punycode.js' {
  const punycode: { encode(input: string): string; decode(input: string): string };
  export default punycode;
}
