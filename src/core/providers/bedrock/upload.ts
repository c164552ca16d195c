/**
 * Training data to S3 for Bedrock: each line converted to the base model's format while it
 * streams into a multipart upload (`@aws-sdk/lib-storage`: parts in parallel, progress, aborted
 * cleanly on failure or Ctrl-C). The key is the source's content hash and the format, so the same
 * bytes for the same format are uploaded once: an object already holding them is reused.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CheckFailedError, InterruptedError, isLlmgwError } from '../../errors.js';
import type { ConversionNote, UploadedFile, UploadProgress } from '../types.js';
import { fromAwsError, s3Context } from './errors.js';
import { prepareExample, type LineProblem } from './format/index.js';
import type { BedrockModel } from './models.js';
import { headObject, s3Uri, under, type S3Place } from './s3.js';

/** S3 metadata naming the source bytes an object was made from (`x-amz-meta-llmgw-source-sha256`). */
export const SOURCE_SHA_META = 'llmgw-source-sha256';
/** Converted text collected before one write to the upload stream. */
const BATCH_CHARS = 256 * 1024;
/** The conversion's short notes, as a person reads them. */
const NOTE_TEXT: Record<string, string> = {
  weight: '`weight` has no equivalent in the model\'s format (dropped: Bedrock trains on every assistant turn)',
  'system folded into prompt': 'the system prompt was put before the question in `prompt` (the format has no system field)',
};
/** Problems listed in the error before "and N more". */
const SHOWN_PROBLEMS = 10;

export interface S3UploadRequest {
  path: string;
  filename: string;
  sha256: string;
  bytes: number;
  /** Convert each line for this model; undefined uploads the bytes as they are. */
  model: BedrockModel | undefined;
  prefix: S3Place;
  partBytes?: number | undefined;
  concurrency?: number | undefined;
  onProgress?: ((p: UploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Where these bytes go for this format: `<prefix>/llmgw/<sha256>.<format>.jsonl`. */
export function objectFor(prefix: S3Place, sha256: string, model: BedrockModel | undefined): S3Place {
  return under(prefix, `llmgw/${sha256}.${model?.format ?? 'raw'}.jsonl`);
}

export class DataFormatError extends CheckFailedError {
  constructor(
    readonly file: string,
    readonly model: string,
    readonly problems: { line: number; field: string; message: string }[],
    total: number,
  ) {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${file}:${p.line}${p.field ? ` ${p.field}` : ''}: ${p.message}`);
    const more = total > shown.length ? `\n  … and ${total - shown.length} more` : '';
    super('bedrock_data_invalid', `${file} has ${total} example(s) ${model} cannot train on; nothing was kept in S3:\n${shown.join('\n')}${more}`, {
      hint: `see them all with \`llmgw dataset validate ${file} --target bedrock --model ${model}\`, fix or drop those lines, then start again`,
    });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, model: this.model, problems: this.problems.slice(0, 100) };
  }
}

export async function uploadToS3(s3: S3Client, req: S3UploadRequest): Promise<UploadedFile & { reused: boolean }> {
  const place = objectFor(req.prefix, req.sha256, req.model);
  const uri = s3Uri(place);
  const existing = await headObject(s3, place, req.signal);
  if (existing && existing.Metadata?.[SOURCE_SHA_META] === req.sha256) {
    return { id: uri, bytes: existing.ContentLength ?? 0, filename: req.filename, createdAt: Math.floor((existing.LastModified?.getTime() ?? 0) / 1000), purpose: 'fine-tune', status: 'processed', reused: true };
  }

  const partSize = Math.max(5 * 1024 * 1024, req.partBytes ?? 8 * 1024 * 1024);
  // Bytes that need no conversion go up as they are read; others pass through the converter.
  const body = req.model ? new PassThrough() : createReadStream(req.path, { highWaterMark: 1024 * 1024 });
  const upload = new Upload({
    client: s3,
    params: { Bucket: place.bucket, Key: place.key, Body: body, ContentType: 'application/jsonl', Metadata: { [SOURCE_SHA_META]: req.sha256 } },
    queueSize: req.concurrency ?? 4,
    partSize,
    leavePartsOnError: false,
  });
  let sourceRead = 0;
  let written = 0;
  upload.on('httpUploadProgress', (p) => {
    // Uploaded bytes of the converted output, scaled back to the source file's size for the bar.
    const loaded = p.loaded ?? 0;
    req.onProgress?.({ sentBytes: written > 0 ? Math.min(req.bytes, Math.round((loaded / written) * sourceRead)) : 0, totalBytes: req.bytes });
  });
  const onAbort = (): void => void upload.abort().catch(() => undefined);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const done = upload.done();
  // A failed upload stops the converter (its writes would wait for a drain that never comes);
  // when the converter fails first, its error is the one worth reporting.
  done.catch((err: unknown) => body.destroy(err instanceof Error ? err : new Error(String(err))));
  try {
    const notes = new Map<string, ConversionNote>();
    if (body instanceof PassThrough) {
      await feed(
        req,
        body,
        (n, out) => {
          sourceRead += n;
          written += out;
        },
        (line, note) => {
          const seen = notes.get(note);
          if (seen) seen.count += 1;
          else notes.set(note, { note, count: 1, firstLine: line });
        },
      );
    } else {
      sourceRead = written = req.bytes;
    }
    const res = await done;
    const conversionNotes = notes.size > 0 ? [...notes.values()] : undefined;
    return { id: uri, bytes: written, filename: req.filename, createdAt: Math.floor(Date.now() / 1000), purpose: 'fine-tune', status: res.ETag ? 'processed' : 'uploaded', reused: false, conversionNotes };
  } catch (err) {
    await upload.abort().catch(() => undefined);
    if (req.signal?.aborted) throw new InterruptedError('upload_interrupted', `Stopped while uploading ${req.filename}; the partial upload was aborted.`, { hint: 'run the same command again; the upload starts over and no job was created' });
    if (isLlmgwError(err)) throw err;
    throw fromAwsError(err, s3Context(`upload ${req.filename} to ${uri}`), req.signal);
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/** Reads the file line by line into `body`, converted for the model; a line that cannot be converted ends the upload. */
async function feed(req: S3UploadRequest, body: PassThrough, counted: (sourceBytes: number, outBytes: number) => void, noted: (line: number, note: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(req.path), crlfDelay: Infinity });
  const problems: { line: number; field: string; message: string }[] = [];
  let total = 0;
  let n = 0;
  let batch = '';
  try {
    for await (const line of lines) {
      n += 1;
      if (req.signal?.aborted) break;
      const raw = Buffer.byteLength(line) + 1;
      if (line.trim() === '') {
        counted(raw, 0);
        continue;
      }
      const out = req.model ? convertLine(req.model, line, n, problems, noted) : `${line}\n`;
      if (out === undefined) {
        total += 1;
        continue;
      }
      if (total > 0) continue;
      counted(raw, Buffer.byteLength(out));
      // Lines go to the upload in batches: one write per line costs more than the conversion.
      batch += out;
      if (batch.length >= BATCH_CHARS) {
        const full = batch;
        batch = '';
        if (!body.write(full)) await once(body, 'drain');
      }
    }
    if (batch !== '' && total === 0) body.write(batch);
  } catch (err) {
    body.destroy(err as Error);
    throw err;
  } finally {
    lines.close();
  }
  if (total > 0) {
    body.destroy();
    throw new DataFormatError(req.filename, req.model?.id ?? '', problems, total);
  }
  body.end();
}

function convertLine(model: BedrockModel, line: string, n: number, problems: { line: number; field: string; message: string }[], noted: (line: number, note: string) => void): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (problems.length < 100) problems.push({ line: n, field: '', message: 'not valid JSON' });
    return undefined;
  }
  const prepared = prepareExample(model, value);
  if (prepared.ok) {
    for (const note of new Set(prepared.notes)) noted(n, NOTE_TEXT[note] ?? note);
    return `${JSON.stringify(prepared.value)}\n`;
  }
  if (problems.length < 100) problems.push(...prepared.problems.map((p: LineProblem) => ({ line: n, ...p })));
  return undefined;
}
