/** The error catalogue (STYLE §4): every code has a status line and is documented in the README. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { errorCatalogue, problem } from '../../dist/api/errors.js';
import { statusLine } from '../../dist/api/http/reply.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('documents every code in the README error table', () => {
    for (const code of Object.keys(errorCatalogue)) expect(readme, code).toContain(`\`${code}\``);
  });

  it('has a status line for every status and builds RFC 7807 documents', () => {
    for (const [code, { status, title }] of Object.entries(errorCatalogue)) {
      expect(statusLine(status), code).toMatch(new RegExp(`^${status} [A-Z]`));
      const p = problem(code as keyof typeof errorCatalogue, 'detail', [{ path: '/x', message: 'm' }]);
      expect(p).toEqual({ type: `/problems/${code}`, title, status, detail: 'detail', errors: [{ path: '/x', message: 'm' }] });
    }
  });
});
