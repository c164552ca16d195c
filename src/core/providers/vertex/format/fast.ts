/**
 * The common chat example (string contents, roles system/developer/user/assistant, no other keys)
 * written straight to its Vertex JSON line, without building the Gemini object first: the same
 * bytes as `JSON.stringify(chatToGemini(example).line)`, at about half the cost. Anything else
 * returns undefined and takes the general path (chat.ts).
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ROLE_OF: Record<string, 'user' | 'model' | 'system'> = { user: 'user', assistant: 'model', system: 'system', developer: 'system' };

export function fastGeminiLine(example: unknown): string | undefined {
  if (!isRecord(example)) return undefined;
  const messages = example.messages;
  if (!Array.isArray(messages)) return undefined;
  for (const key in example) if (key !== 'messages') return undefined;
  const system: string[] = [];
  let contents = '';
  let role: string | undefined;
  let parts = '';
  for (const m of messages as unknown[]) {
    if (!isRecord(m)) return undefined;
    let keys = 0;
    for (const key in m) {
      if (key !== 'role' && key !== 'content') return undefined;
      keys++;
    }
    const to = typeof m.role === 'string' ? ROLE_OF[m.role] : undefined;
    const text = m.content;
    if (keys !== 2 || to === undefined || typeof text !== 'string' || text === '') return undefined;
    if (to === 'system') {
      // A system message after the first turn is moved (with a note): the general path says so.
      if (role !== undefined) return undefined;
      system.push(text);
      continue;
    }
    // Turns of the same role in a row merge (with a note): the general path.
    if (to === role) return undefined;
    if (role !== undefined) contents += `${contents === '' ? '' : ','}{"role":"${role}","parts":[${parts}]}`;
    role = to;
    parts = `{"text":${JSON.stringify(text)}}`;
  }
  if (role !== 'model') return undefined;
  contents += `${contents === '' ? '' : ','}{"role":"model","parts":[${parts}]}`;
  const head = system.length === 0 ? '' : `"systemInstruction":{"parts":[${system.map((t) => `{"text":${JSON.stringify(t)}}`).join(',')}]},`;
  return `{${head}"contents":[${contents}]}`;
}
