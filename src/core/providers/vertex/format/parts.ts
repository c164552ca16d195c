/**
 * OpenAI message content → Gemini parts: text stays text, an image given by an https or gs://
 * URL becomes `fileData` with the MIME type its file name says. Anything Gemini tuning data has
 * no place for (inline base64 images, audio, files) makes the example unconvertible, with the
 * reason; it is never dropped silently.
 */
import type { IssueCode } from '../../../dataset/issues.js';
import type { GeminiPart } from './types.js';

/** Image types Gemini reads, by file extension. */
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

/**
 * Why an example could not be converted (it is skipped with this reason), with the validation
 * code that names the same problem (what `--target vertex` reports).
 */
export class Unconvertible extends Error {
  constructor(
    message: string,
    readonly code: IssueCode,
  ) {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The MIME type of an image URL from its path's extension, or undefined. */
export function imageMimeType(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : IMAGE_TYPES[ext];
}

function imagePart(url: unknown, at: string): GeminiPart {
  if (typeof url !== 'string' || url === '') throw new Unconvertible(`${at} has no image URL`, 'invalid_image_part');
  if (url.startsWith('data:')) {
    throw new Unconvertible(`${at} is an inline (data:) image, which Vertex tuning data cannot hold; upload the image to Cloud Storage and give its gs:// URL`, 'invalid_image_part');
  }
  if (!/^(https|gs):\/\//i.test(url)) throw new Unconvertible(`${at} is not an https:// or gs:// URL`, 'invalid_image_part');
  const mimeType = imageMimeType(url);
  if (mimeType === undefined) {
    throw new Unconvertible(`${at}: the image type cannot be told from the URL (expected a name ending in ${Object.keys(IMAGE_TYPES).map((e) => `.${e}`).join(', ')})`, 'invalid_image_part');
  }
  return { fileData: { mimeType, fileUri: url } };
}

/**
 * A message's `content` as Gemini parts. `at` names the message for reasons, e.g. `messages[2]`.
 * Null or empty content gives no parts (an assistant turn may carry only tool calls).
 */
export function contentParts(content: unknown, at: string): GeminiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw new Unconvertible(`${at}.content is neither text nor a list of parts`, 'invalid_content_type');
  return content.map((part: unknown, i): GeminiPart => {
    const where = `${at}.content[${i}]`;
    if (!isRecord(part)) throw new Unconvertible(`${where} is not a content part`, 'invalid_content_type');
    if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (part.type === 'image_url') return imagePart(isRecord(part.image_url) ? part.image_url.url : part.image_url, where);
    if (part.type === 'input_audio') throw new Unconvertible(`${where} is audio, which llmgw cannot carry into Vertex tuning data (give it as a gs:// file part instead)`, 'invalid_content_type');
    throw new Unconvertible(`${where} has type ${JSON.stringify(part.type)}, which has no Gemini equivalent`, 'invalid_content_type');
  });
}

/** The text of a system message (string or text parts); images or audio in a system message cannot move to `systemInstruction`. */
export function systemText(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, i) => {
        if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw new Unconvertible(`${at}.content[${i}]: a system instruction holds text only`, 'invalid_content_type');
      })
      .join('');
  }
  throw new Unconvertible(`${at}.content is not text`, 'invalid_content_type');
}
