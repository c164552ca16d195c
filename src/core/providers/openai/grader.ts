/**
 * Checking a reinforcement fine-tuning grader before it is sent, against the shapes of OpenAI's
 * API reference (`FineTuneReinforcementMethod.grader`): `string_check`, `text_similarity`,
 * `python`, `score_model`, or `multi` (which combines one more grader, `label_model` included).
 * Each problem names the field, so a typo in grader.json is found locally, not after an upload.
 */

type Obj = Record<string, unknown>;

const STRING_OPS = ['eq', 'ne', 'like', 'ilike'];
const METRICS = ['cosine', 'fuzzy_match', 'bleu', 'gleu', 'meteor', 'rouge_1', 'rouge_2', 'rouge_3', 'rouge_4', 'rouge_5', 'rouge_l'];
const TOP_LEVEL = ['string_check', 'text_similarity', 'python', 'score_model', 'multi'];
const IN_MULTI = ['string_check', 'text_similarity', 'python', 'score_model', 'label_model'];

/** Every problem with `grader`, each as `grader.<field> …`; empty when OpenAI can take it. */
export function checkGrader(grader: unknown): string[] {
  return check(grader, 'grader', TOP_LEVEL);
}

function check(g: unknown, at: string, types: string[]): string[] {
  if (!isObj(g)) return [`${at} must be a JSON object`];
  const type = g.type;
  if (typeof type !== 'string' || !types.includes(type)) return [`${at}.type must be one of ${types.join(', ')} (got ${JSON.stringify(type)})`];
  const problems = [...text(g, at, 'name')];
  switch (type) {
    case 'string_check':
      problems.push(...text(g, at, 'input'), ...text(g, at, 'reference'), ...oneOf(g, at, 'operation', STRING_OPS));
      break;
    case 'text_similarity':
      problems.push(...text(g, at, 'input'), ...text(g, at, 'reference'), ...oneOf(g, at, 'evaluation_metric', METRICS));
      break;
    case 'python':
      problems.push(...text(g, at, 'source'));
      if (g.image_tag !== undefined && typeof g.image_tag !== 'string') problems.push(`${at}.image_tag must be text`);
      break;
    case 'score_model':
      problems.push(...text(g, at, 'model'), ...messages(g, at));
      if (g.range !== undefined && !(Array.isArray(g.range) && g.range.length === 2 && g.range.every((n) => typeof n === 'number'))) problems.push(`${at}.range must be two numbers, e.g. [0, 1]`);
      if (g.sampling_params !== undefined && !isObj(g.sampling_params)) problems.push(`${at}.sampling_params must be an object`);
      break;
    case 'label_model':
      problems.push(...text(g, at, 'model'), ...messages(g, at), ...strings(g, at, 'labels'), ...strings(g, at, 'passing_labels'));
      if (Array.isArray(g.labels) && Array.isArray(g.passing_labels) && !g.passing_labels.every((l) => (g.labels as unknown[]).includes(l))) problems.push(`${at}.passing_labels must be a subset of ${at}.labels`);
      break;
    case 'multi':
      problems.push(...text(g, at, 'calculate_output'));
      problems.push(...(g.graders === undefined ? [`${at}.graders is missing`] : check(g.graders, `${at}.graders`, IN_MULTI)));
      break;
  }
  return problems;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(g: Obj, at: string, key: string): string[] {
  if (g[key] === undefined) return [`${at}.${key} is missing`];
  return typeof g[key] === 'string' ? [] : [`${at}.${key} must be text`];
}

function oneOf(g: Obj, at: string, key: string, values: string[]): string[] {
  const v = g[key];
  if (v === undefined) return [`${at}.${key} is missing (one of ${values.join(', ')})`];
  return typeof v === 'string' && values.includes(v) ? [] : [`${at}.${key} must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`];
}

function strings(g: Obj, at: string, key: string): string[] {
  const v = g[key];
  if (v === undefined) return [`${at}.${key} is missing`];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? [] : [`${at}.${key} must be a list of text`];
}

/** `input`: a list of messages, each with a `role` and a `content`. */
function messages(g: Obj, at: string): string[] {
  const v = g.input;
  if (v === undefined) return [`${at}.input is missing`];
  if (!Array.isArray(v) || v.length === 0) return [`${at}.input must be a non-empty list of messages`];
  return v.flatMap((m, i) => (isObj(m) && typeof m.role === 'string' && m.content !== undefined ? [] : [`${at}.input[${i}] must be a message with a role and a content`]));
}
