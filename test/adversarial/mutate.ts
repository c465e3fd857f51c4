// Hostile input for the property tests: realistic lines, cut, spliced and salted with strings an
// attacker would put in a log or a feed (terminal escapes, HTML, spreadsheet formulas, separators).
import fc from 'fast-check';

/** Strings that must never reach a terminal raw or a report unescaped. */
export const HOSTILE: readonly string[] = [
  '\u001b[2J\u001b[H\u001b[31mALL CLEAR',
  '\u001b]0;owned\u0007',
  '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  '\u009b31m',
  '\rfake line',
  'bell\u0007\u0008\u0008\u007f',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","x")',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1+1)',
  'nul\u0000byte',
  '\u202egnp.exe',
  'tab\there',
  'comma,"quote"',
  '{"Type":"SecurityAlert"}',
  '#fields\tts',
  "'; DROP TABLE CommonSecurityLog; --",
  '\ud800lone surrogate',
  'x'.repeat(5000),
];

/** A character a terminal acts on (tab and newline aside, which the summary itself writes). */
export const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const splice = (text: string, at: number, cut: number, insert: string): string => {
  const i = at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i + cut);
};

const insertion = fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.constantFrom(...HOSTILE));

/** One line: a seed as is, spliced, cut short, random, or a token a parser may trip on. */
export function mutatedLine(seeds: readonly string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds);
  return fc.oneof(
    { arbitrary: seed, weight: 3 },
    {
      arbitrary: fc
        .tuple(seed, fc.nat(), fc.nat({ max: 16 }), insertion)
        .map(([s, at, cut, insert]) => splice(s, at, cut, insert)),
      weight: 4,
    },
    { arbitrary: fc.tuple(seed, fc.nat()).map(([s, n]) => s.slice(0, n % s.length)), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', '#', '{}', '[]', ',', '"', '\t', '-', '{"a":'), weight: 1 },
  );
}

/** A whole file: header lines, 1-20 mutated lines, sometimes one splice across the whole text. */
export function mutatedText(
  seeds: readonly string[],
  shape: { header?: readonly string[]; join?: (lines: string[]) => string } = {},
): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(mutatedLine(seeds), { minLength: 1, maxLength: 20 }),
      fc.boolean(),
      fc.option(fc.tuple(fc.nat(), fc.nat({ max: 40 }), insertion), { freq: 4 }),
    )
    .map(([lines, newline, wide]) => {
      const body = shape.join
        ? shape.join(lines)
        : [...(shape.header ?? []), ...lines].join('\n') + (newline ? '\n' : '');
      return wide ? splice(body, ...wide) : body;
    });
}
