/**
 * OpenAI `tools` (JSON Schema parameters) → Vertex `functionDeclarations` (the OpenAPI subset of
 * Vertex's `Schema` message). The docs' tuning examples spell types in upper case (`OBJECT`,
 * `STRING`), the proto enum names, so types are upper-cased; `["string", "null"]` becomes
 * `STRING` + `nullable`. Keywords the Schema message has no field for are dropped with a note.
 */
import { Unconvertible } from './parts.js';
import type { GeminiFunctionDeclaration } from './types.js';

/** Schema keywords Vertex's `Schema` message holds (v1). */
const KEPT = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'default',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'properties',
  'propertyOrdering',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'minimum',
  'maximum',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Converts one JSON Schema node; `dropped` collects the keywords left out. */
function convertSchema(node: unknown, at: string, dropped: Set<string>): Record<string, unknown> {
  if (!isRecord(node)) throw new Unconvertible(`${at} is not a schema object`, 'invalid_tool_definition');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) {
      dropped.add(key);
      continue;
    }
    if (key === 'type') Object.assign(out, convertType(value, at));
    else if (key === 'items') out.items = convertSchema(value, `${at}.items`, dropped);
    else if (key === 'anyOf') out.anyOf = Array.isArray(value) ? value.map((v, i) => convertSchema(v, `${at}.anyOf[${i}]`, dropped)) : value;
    else if (key === 'properties' && isRecord(value)) out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, `${at}.properties.${k}`, dropped)]));
    else out[key] = value;
  }
  return out;
}

function convertType(value: unknown, at: string): Record<string, unknown> {
  const types = Array.isArray(value) ? value : [value];
  if (!types.every((t) => typeof t === 'string' && TYPES.has(t))) throw new Unconvertible(`${at}.type ${JSON.stringify(value)} is not a JSON Schema type`, 'invalid_tool_definition');
  const real = (types as string[]).filter((t) => t !== 'null');
  if (real.length > 1) throw new Unconvertible(`${at}.type lists several types (${real.join(', ')}); Vertex takes one type per schema (use anyOf)`, 'invalid_tool_definition');
  const nullable = real.length < types.length ? { nullable: true } : {};
  return real[0] === undefined ? nullable : { type: real[0].toUpperCase(), ...nullable };
}

/**
 * `tools` → one `{functionDeclarations}` entry. Returns the declarations and the notes (keywords
 * dropped, `strict` ignored). A tool that is not a function cannot be converted.
 */
export function convertTools(tools: unknown): { tools: { functionDeclarations: GeminiFunctionDeclaration[] }[]; notes: string[] } {
  if (!Array.isArray(tools)) throw new Unconvertible('tools is not a list', 'invalid_tool_definition');
  const dropped = new Set<string>();
  const notes: string[] = [];
  const declarations = tools.map((tool: unknown, i): GeminiFunctionDeclaration => {
    const at = `tools[${i}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) throw new Unconvertible(`${at} is not a function tool`, 'invalid_tool_definition');
    const fn = tool.function;
    if (typeof fn.name !== 'string' || fn.name === '') throw new Unconvertible(`${at}.function has no name`, 'invalid_tool_definition');
    if ('strict' in fn && fn.strict !== undefined && !notes.includes('function "strict" mode has no Gemini equivalent (dropped)')) notes.push('function "strict" mode has no Gemini equivalent (dropped)');
    const decl: GeminiFunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string') decl.description = fn.description;
    if (fn.parameters !== undefined) decl.parameters = convertSchema(fn.parameters, `${at}.function.parameters`, dropped);
    return decl;
  });
  if (dropped.size > 0) notes.push(`tool parameter keywords Vertex's schema has no field for were dropped: ${[...dropped].sort().join(', ')}`);
  return { tools: declarations.length > 0 ? [{ functionDeclarations: declarations }] : [], notes };
}
