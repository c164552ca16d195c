import { describe, expect, it } from 'vitest';
import { findInText, redactExample, redactText, scanExample } from '../../../../src/core/dataset/safety/scan.js';

// Built from pieces so no file in the repository holds a whole key-shaped string.
const KEYS = {
  openai: ['sk-proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'T7uV0wX3yZ6'].join(''),
  openaiLegacy: ['sk-', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4'].join(''),
  aws: ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join(''),
  github: ['ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join(''),
  githubPat: ['github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuv'].join(''),
  slack: ['xoxb-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'].join(''),
  google: ['AIza', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'].join(''),
  jwt: ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  pem: ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\n-----END RSA ', 'PRIVATE KEY-----'].join(''),
};

describe('findInText', () => {
  it.each([
    ['openai', 'openai_api_key'],
    ['openaiLegacy', 'openai_api_key'],
    ['aws', 'aws_access_key_id'],
    ['github', 'github_token'],
    ['githubPat', 'github_token'],
    ['slack', 'slack_token'],
    ['google', 'google_api_key'],
    ['jwt', 'jwt'],
    ['pem', 'private_key'],
  ] as const)('finds a %s key as %s', (name, kind) => {
    const found = findInText(`Use this: ${KEYS[name]} then retry.`);
    expect(found.map((f) => f.kind)).toEqual([kind]);
  });

  it('finds e-mail addresses but not placeholders on documentation domains', () => {
    expect(findInText('Write to jane.doe@acme-mail.co.uk or ops@example.com').map((f) => f.kind)).toEqual(['email']);
    expect(findInText('noreply@service.test and a@b.invalid')).toEqual([]);
  });

  it('finds each address from its @, with tags, subdomains and several in a row', () => {
    const text = 'cc: a.b+ops@sub.corp-mail.co.uk,li@shop.de; not: @handle, user@localhost';
    expect(findInText(text).map((f) => text.slice(f.start, f.end))).toEqual(['a.b+ops@sub.corp-mail.co.uk', 'li@shop.de']);
  });

  it('ignores prose that only resembles a key', () => {
    for (const s of ['I use sk-learn for ML', 'task-1234567890 done', 'the AKIA prefix', 'eyJ alone', '@decorator', 'x.y@z', 'ghp_short', 'def load_user_profile_from_cache(user_id):', '-----\nsection\n-----']) {
      expect(findInText(s)).toEqual([]);
    }
  });
});

describe('scanExample', () => {
  it('reports code, kind, field path and a mask that never holds the whole secret', () => {
    const example = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: `key: ${KEYS.openai}, mail bob@corp.io` }] };
    const findings = scanExample(example);
    expect(findings.map((f) => [f.code, f.kind, f.field])).toEqual([
      ['possible_secret', 'openai_api_key', 'messages[1].content'],
      ['email_address', 'email', 'messages[1].content'],
    ]);
    expect(findings[0]?.masked).toBe(`sk-pro… (${KEYS.openai.length} chars)`);
    expect(findings[1]?.masked).toBe('b…@corp.io');
    for (const f of findings) expect(JSON.stringify(f)).not.toContain(KEYS.openai);
  });

  it('looks inside tool call arguments too', () => {
    const example = { messages: [{ role: 'assistant', tool_calls: [{ function: { name: 'x', arguments: JSON.stringify({ token: KEYS.github }) } }] }] };
    expect(scanExample(example).map((f) => f.field)).toEqual(['messages[0].tool_calls[0].function.arguments']);
  });
});

describe('redaction', () => {
  it('replaces each finding with a marker and keeps the rest', () => {
    expect(redactText(`AWS ${KEYS.aws} and ${KEYS.slack}; mail me: li@shop.de.`)).toBe('AWS [REDACTED aws_access_key_id] and [REDACTED slack_token]; mail me: [REDACTED email].');
  });

  it('redacts every string of an example and leaves keys and other values alone', () => {
    const out = redactExample({ messages: [{ role: 'user', content: KEYS.pem, weight: 1 }] });
    expect(out).toEqual({ messages: [{ role: 'user', content: '[REDACTED private_key]', weight: 1 }] });
    expect(scanExample(out)).toEqual([]);
  });
});
