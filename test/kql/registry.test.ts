/** The one function registry: a name defined twice fails, naming both families. */
import { describe, expect, it } from 'vitest';
import { DuplicateFunction, FunctionRegistry, type FunctionImpl } from '../../src/kql/registry.js';
import { FUNCTIONS } from '../../src/kql/functions-library.js';

const impl: FunctionImpl = () => 'NULL';

describe('function registry', () => {
  it('refuses a name registered by two families, in any case', () => {
    expect(
      () =>
        new FunctionRegistry([
          { name: 'time', scalars: { startofday: impl } },
          { name: 'core', scalars: { StartOfDay: impl } },
        ]),
    ).toThrow(
      new DuplicateFunction(
        'KQL scalar function startofday() is registered twice: by family time and by family core',
      ),
    );
  });

  it('keeps scalars and aggregates apart, and looks names up without case', () => {
    const registry = new FunctionRegistry([
      { name: 'a', scalars: { count_x: impl } },
      { name: 'b', aggregates: { count_x: impl } },
    ]);
    expect(registry.scalar('COUNT_X')).toBe(impl);
    expect(registry.aggregate('count_x')).toBe(impl);
    expect(registry.scalar('nope')).toBeUndefined();
  });

  it('holds each built-in once, in its family', () => {
    const names = FUNCTIONS.names();
    const where = (name: string) => names.filter((n) => n.name === name).map((n) => `${n.kind}:${n.family}`);
    expect(where('startofday')).toEqual(['scalar:time']);
    expect(where('tostring')).toEqual(['scalar:time']);
    expect(where('count')).toEqual(['aggregate:core']);
    expect(where('geo_info_from_ip_address')).toEqual(['scalar:geo']);
  });
});
