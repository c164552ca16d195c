import { open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { formatBytes } from '../format.js';
import type { ChatMessage } from './types.js';
import { schemeOf } from '../input/schemes.js';

/** The placeholder LLaMA-Factory and others put where each image of `images` goes. */
export const IMAGE_TOKEN = '<image>';
/** OpenAI's limit per image for vision fine-tuning. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

const KINDS: { mime: string; name: string; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/jpeg', name: 'JPEG', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', name: 'PNG', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/webp', name: 'WEBP', test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
];

/** Data URLs of recently read images: the same picture is often asked about in several examples. */
export class ImageCache {
  private readonly urls = new Map<string, string>();
  get(path: string): string | undefined {
    return this.urls.get(path);
  }
  set(path: string, url: string): void {
    if (this.urls.size >= 8) this.urls.delete(this.urls.keys().next().value as string);
    this.urls.set(path, url);
  }
}

/**
 * Puts the images of a record's `images` list into its messages as `image_url` parts: each
 * `<image>` placeholder, in order, becomes the next image; with no placeholder at all, the images
 * go in front of the first user turn. A path is read relative to the input's folder (`dir`),
 * checked (JPEG, PNG or WEBP by its first bytes, at most 10 MB) and embedded as a `data:` URL;
 * an `https://` or `data:` URL is kept as it is. Returns the new messages, or why the record is skipped.
 */
export async function attachImages(messages: readonly ChatMessage[], images: unknown, dir: string | null, cache: ImageCache, note: (m: string) => void): Promise<ChatMessage[] | string> {
  if (!Array.isArray(images) || !images.every((i) => typeof i === 'string')) return '"images" is not a list of paths';
  if (images.length === 0) return [...messages];
  const urls: string[] = [];
  for (const ref of images as string[]) {
    const url = await imageUrl(ref, dir, cache);
    if (url.startsWith('skip:')) return url.slice(5);
    urls.push(url);
  }
  const placeholders = messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.split(IMAGE_TOKEN).length - 1 : 0), 0);
  if (placeholders === 0) {
    const first = messages.findIndex((m) => m.role === 'user');
    if (first === -1) return '"images" is given but there is no user turn to put them in';
    note(`no ${IMAGE_TOKEN} placeholder: the images were put in front of the first user turn`);
    return messages.map((m, i) => (i === first ? { ...m, content: [...urls.map(part), ...textParts(m.content)] } : m));
  }
  if (placeholders !== urls.length) return `the messages have ${placeholders} ${IMAGE_TOKEN} placeholder${placeholders === 1 ? '' : 's'} but "images" lists ${urls.length}`;
  let next = 0;
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (typeof m.content !== 'string' || !m.content.includes(IMAGE_TOKEN)) {
      out.push(m);
      continue;
    }
    if (m.role !== 'user') return `an ${IMAGE_TOKEN} placeholder is in a ${m.role} message; images may only be in user messages`;
    const pieces = m.content.split(IMAGE_TOKEN);
    const content: unknown[] = [];
    pieces.forEach((text, i) => {
      if (i > 0) content.push(part(urls[next++] as string));
      if (text.trim() !== '') content.push({ type: 'text', text });
    });
    out.push({ ...m, content });
  }
  note(`${IMAGE_TOKEN} placeholders replaced by the images of "images"`);
  if (urls.some((u) => u.startsWith('data:'))) note('images read from files and embedded as data: URLs');
  return out;
}

function part(url: string): Record<string, unknown> {
  return { type: 'image_url', image_url: { url } };
}

function textParts(content: unknown): unknown[] {
  if (typeof content === 'string') return content.trim() === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** A `data:` URL for an image file, the URL itself for https/data, or `skip:<reason>`. */
async function imageUrl(ref: string, dir: string | null, cache: ImageCache): Promise<string> {
  if (/^https:\/\//i.test(ref) || /^data:image\//i.test(ref)) return ref;
  if (schemeOf(ref) !== undefined) return `skip:image ${JSON.stringify(ref)} is a URL llmgw cannot embed (only https:// and data: URLs, or file paths)`;
  if (!isAbsolute(ref) && dir === null) return `skip:image ${JSON.stringify(ref)} is a relative path, but the input is not a local file to resolve it against`;
  const path = isAbsolute(ref) ? ref : resolve(dir as string, ref);
  const known = cache.get(path);
  if (known) return known;
  let bytes: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_IMAGE_BYTES) return `skip:image ${JSON.stringify(ref)} is ${formatBytes(size)}; images may be at most ${formatBytes(MAX_IMAGE_BYTES)}`;
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `skip:image ${JSON.stringify(ref)} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}; paths are relative to the input file's folder)`;
  }
  const kind = KINDS.find((k) => k.test(bytes));
  if (!kind) return `skip:image ${JSON.stringify(ref)} is not a JPEG, PNG or WEBP image`;
  const url = `data:${kind.mime};base64,${bytes.toString('base64')}`;
  cache.set(path, url);
  return url;
}
