import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

// The modules the edge SDK bundles must not reach zod at run time (type-only imports are erased and
// fine): one value import of a schema module puts all of zod (~90 kB gzip) in every app's bundle.
const SDK_MODULES = ['errors.ts', 'encoding.ts', 'features.ts', 'datetime.ts', 'signing.ts', 'device-api.ts', 'device-context-query.ts', 'check.ts', 'wire-check.ts'];

/** Every module `file` reaches through value imports and re-exports: relative ones as URLs, packages by name. */
function valueImports(file: URL, seen = new Map<string, URL | string>()): Map<string, URL | string> {
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;'"]*?from\s+'([^']+)'/gm)) {
    const target = specifier!.startsWith('.') ? new URL(specifier!, file) : specifier!;
    const key = String(target);
    if (seen.has(key)) continue;
    seen.set(key, target);
    if (target instanceof URL) valueImports(target, seen);
  }
  return seen;
}

describe('the modules the edge SDK bundles', () => {
  test.each(SDK_MODULES)('%s reaches no zod', (name) => {
    const reached = [...valueImports(new URL(name, import.meta.url)).keys()];
    expect(reached.filter((m) => m === 'zod' || m.startsWith('zod/'))).toEqual([]);
  });

  test('the import scan does see zod where it is', () => {
    expect([...valueImports(new URL('manifest.ts', import.meta.url)).keys()]).toContain('zod');
  });
});
