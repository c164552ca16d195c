/**
 * Vertex's own rules for a line already in its shape (the "prepare tuning data" pages): `contents`
 * a non-empty list of turns with the role `user` or `model` and at least one part each, files as
 * `fileData` with a MIME type and a gs:// or https URI; a supervised example ends with the model,
 * a preference prompt with the user and holds text only, with one completion scored 1 and one 0.
 */
import type { IssueCode } from '../../../dataset/issues.js';

export interface LineProblem {
  code: IssueCode;
  field: string;
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkTurn(turn: unknown, at: string, textOnly: boolean, out: LineProblem[]): void {
  if (!isRecord(turn) || (turn.role !== 'user' && turn.role !== 'model')) {
    out.push({ code: 'invalid_role', field: `${at}.role`, message: `Vertex takes the roles user and model, not ${JSON.stringify(isRecord(turn) ? turn.role : turn)}` });
    return;
  }
  if (!Array.isArray(turn.parts) || turn.parts.length === 0) {
    out.push({ code: 'missing_content', field: `${at}.parts`, message: 'a turn needs at least one part' });
    return;
  }
  turn.parts.forEach((p: unknown, i: number) => {
    const where = `${at}.parts[${i}]`;
    if (isRecord(p) && isRecord(p.fileData)) {
      const { mimeType, fileUri } = p.fileData;
      if (typeof mimeType !== 'string' || typeof fileUri !== 'string' || !/^(gs|https):\/\//.test(fileUri)) out.push({ code: 'invalid_image_part', field: `${where}.fileData`, message: 'fileData needs a mimeType and a gs:// or https fileUri' });
    }
    if (textOnly && !(isRecord(p) && typeof p.text === 'string')) out.push({ code: 'preference_not_text', field: where, message: 'Vertex preference tuning data is text only' });
  });
}

export function checkGeminiLine(line: unknown): LineProblem[] {
  const out: LineProblem[] = [];
  if (!isRecord(line) || !Array.isArray(line.contents) || line.contents.length === 0) return [{ code: 'missing_field', field: 'contents', message: 'a Vertex example needs a non-empty contents list' }];
  const preference = 'completions' in line;
  line.contents.forEach((t: unknown, i: number) => checkTurn(t, `contents[${i}]`, preference, out));
  const last = line.contents[line.contents.length - 1] as { role?: unknown };
  const end = preference ? 'user' : 'model';
  if (isRecord(last) && (last.role === 'user' || last.role === 'model') && last.role !== end) out.push({ code: 'invalid_role', field: `contents[${line.contents.length - 1}].role`, message: preference ? 'a preference prompt must end with a user turn' : 'the last turn must be from the model (Vertex trains on the model turns)' });
  if (preference) {
    const c = line.completions;
    const scores = Array.isArray(c) ? c.map((x) => (isRecord(x) ? x.score : undefined)).sort() : [];
    if (!Array.isArray(c) || c.length !== 2 || scores[0] !== 0 || scores[1] !== 1) {
      out.push({ code: 'preference_output_count', field: 'completions', message: 'completions must hold one completion scored 1 (preferred) and one scored 0' });
    } else {
      c.forEach((x: unknown, i: number) => {
        const completion = isRecord(x) ? x.completion : undefined;
        if (!isRecord(completion) || completion.role !== 'model') out.push({ code: 'preference_output_role', field: `completions[${i}].completion.role`, message: 'a completion is a model turn' });
        else checkTurn(completion, `completions[${i}].completion`, true, out);
      });
    }
  }
  return out;
}
