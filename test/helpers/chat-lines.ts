/**
 * Random JSON chat lines for the byte scanner's tests (plain-line.ts): mostly plain examples,
 * written compact or spaced, with every kind of string body, and now and then a line one step
 * away from plain (another role, another key, a key missing) or broken by `mutateLine`.
 */

// JSON string bodies, raw: plain text, escapes of each kind, control characters, characters
// trim removes, U+FFFD, the secret pre-scan's triggers and near misses, multi-byte text.
const BODY_PIECES = ['Hello', ' ', 'world.', '\\n', '\\t', '\\"', '\\\\', '\\/', '\\b', '°', '你好', '👍', '\ufffd', 'é', 'ask-', 'xoxz-', '----', 'gh_', 'my_var', 'Ai', 'A', '-', '_', 'J', '@', 'x@', '@y'];
const RISKY_PIECES = [
  '\\f', '\\r', '\\u0041', '\\\\u', '\\x', '\\', '"', '\t', '\u0001', '\u00a0', '\u3000', '\u2028', '\ufeff', '\u0085',
  'sk-', 'xoxb-', '-----BEGIN ', 'ghp_', 'github_', 'eyJ', 'heyJo', 'AKIA', 'ASIA', 'AIza', 'a@b', '.@1',
];
const ROLES = ['user', 'assistant', 'system', 'tool', 'developer', 'User', 'us\\u0065r'];
const SPACES = ['', '', '', ' ', '  ', '\t', '\n', '\r\n'];

export function randomChatLine(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const ws = (): string => (random() < 0.7 ? '' : pick(SPACES));
  const body = (): string => {
    let s = '';
    for (let n = Math.floor(random() * 5); n > 0; n--) s += pick(random() < 0.9 ? BODY_PIECES : RISKY_PIECES);
    return s;
  };
  const members = (): string[] => {
    const role = `${ws()}"role"${ws()}:${ws()}"${random() < 0.8 ? pick(ROLES.slice(0, 3)) : pick(ROLES)}"${ws()}`;
    const content = `${ws()}"content"${ws()}:${ws()}"${body()}"${ws()}`;
    const list = random() < 0.8 ? [role, content] : [content, role];
    if (random() < 0.05) list.push(random() < 0.5 ? role : `${ws()}"weight"${ws()}:${ws()}0`);
    if (random() < 0.03) list.pop();
    return list;
  };
  const messages: string[] = [];
  for (let n = Math.floor(random() * 4); n >= 0; n--) messages.push(`${ws()}{${members().join(',')}}${ws()}`);
  let line = `${ws()}{${ws()}"messages"${ws()}:${ws()}[${messages.join(',')}]${ws()}}${ws()}`;
  if (random() < 0.03) line = line.replace('"messages"', '"messages","id":1');
  return line;
}

/** A line one step broken: a byte changed, dropped or added, or the line cut short. */
export function mutateLine(line: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * line.length);
  const byte = [0x22, 0x5c, 0x2c, 0x7d, 0x5d, 0x7b, 0x3a, 0x20, 0x00, 0x41, 0x2d, 0xef][Math.floor(random() * 12)] as number;
  switch (Math.floor(random() * 4)) {
    case 0:
      return Buffer.concat([line.subarray(0, at), Buffer.from([byte]), line.subarray(at + 1)]);
    case 1:
      return Buffer.concat([line.subarray(0, at), line.subarray(at + 1)]);
    case 2:
      return Buffer.concat([line.subarray(0, at), Buffer.from([byte]), line.subarray(at)]);
    default:
      return line.subarray(0, at);
  }
}
