// Property tests: the parsers never crash or hang on arbitrary input; bad input becomes rejects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importIntelText, INTEL_FORMATS } from '../../src/intel/import.js';
import { parseStixPattern } from '../../src/intel/importers/stix-pattern.js';
import { parseCsvRecord } from '../../src/util/csv.js';

describe('parsers on arbitrary input', () => {
  it('importIntelText never throws, whatever the forced format', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.constantFrom('auto' as const, ...INTEL_FORMATS),
        (text, format) => {
          const r = importIntelText(text, 'fuzz', format);
          expect(Array.isArray(r.indicators) && Array.isArray(r.rejects)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the STIX pattern parser returns or throws an Error, in time', () => {
    const atom = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      ' AND ',
      ' OR ',
      'ipv4-addr:value',
      ' = ',
      "'1.2.3.4'",
      ' IN ',
      ',',
      ' WITHIN 5 SECONDS',
      "t'x'",
    );
    fc.assert(
      fc.property(fc.array(atom, { maxLength: 30 }), (parts) => {
        try {
          parseStixPattern(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('CSV records round-trip through quoting', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 20 }).filter((s) => !s.includes('\n')),
          { minLength: 1, maxLength: 8 },
        ),
        (fields) => {
          const line = fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
          expect(parseCsvRecord(line, { trim: true })).toEqual(fields);
        },
      ),
    );
  });
});
