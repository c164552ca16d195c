/** Message content: a string, or an array of text / image parts (images only where allowed). */
import { at, checkKeys, isObject, type Sink, typeName } from './shared.js';

export interface ContentRules {
  /** The message is from the assistant (no images; `refusal` parts allowed). */
  assistant: boolean;
  /** Why images are not allowed here besides the assistant rule: a preference pair or a tool result. */
  textOnly: 'preference' | 'tool' | null;
}

export interface ContentSummary {
  images: number;
  /** Has some non-whitespace text. */
  hasText: boolean;
}

const TEXT_PART_KEYS = new Set(['type', 'text']);
const REFUSAL_PART_KEYS = new Set(['type', 'refusal']);
const IMAGE_PART_KEYS = new Set(['type', 'image_url']);
const IMAGE_URL_KEYS = new Set(['url', 'detail']);
const DETAILS = new Set(['auto', 'low', 'high']);

// The answers for string content, shared: most messages have it, and callers only read them.
const TEXT: ContentSummary = Object.freeze({ images: 0, hasText: true });
const NO_TEXT: ContentSummary = Object.freeze({ images: 0, hasText: false });

/** Checks the present, non-null `content` of the message at `messagePath`. */
export function checkContent(sink: Sink, content: unknown, messagePath: string, rules: ContentRules): ContentSummary {
  if (typeof content === 'string') return hasText(content) ? TEXT : NO_TEXT;
  const path = at(messagePath, 'content');
  if (!Array.isArray(content)) {
    sink.add('invalid_content_type', path, `${path} must be a string or an array of content parts, got ${typeName(content)}`);
    return { images: 0, hasText: true };
  }
  if (content.length === 0) {
    sink.add('invalid_content_type', path, `${path} is an empty array`, 'give at least one content part, or use a string');
    return { images: 0, hasText: true };
  }
  const summary: ContentSummary = { images: 0, hasText: false };
  content.forEach((part, i) => checkPart(sink, part, at(path, i), rules, summary));
  return summary;
}

/** Some non-whitespace text; looks at the first character before trimming the whole string. */
export function hasText(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first > 0x20 && first < 0x7f) || (text.length > 0 && text.trim() !== '');
}

function checkPart(sink: Sink, part: unknown, path: string, rules: ContentRules, summary: ContentSummary): void {
  if (!isObject(part)) {
    sink.add('invalid_content_type', path, `${path} must be a content part object, got ${typeName(part)}`);
    return;
  }
  const type = part.type;
  if (type === 'text') {
    checkKeys(sink, part, TEXT_PART_KEYS, path, 'a text part');
    if (typeof part.text !== 'string') sink.add('invalid_content_type', at(path, 'text'), `a text part needs a string "text", got ${typeName(part.text)}`);
    else if (hasText(part.text)) summary.hasText = true;
    return;
  }
  if (type === 'refusal' && rules.assistant) {
    checkKeys(sink, part, REFUSAL_PART_KEYS, path, 'a refusal part');
    if (typeof part.refusal !== 'string') sink.add('invalid_content_type', at(path, 'refusal'), `a refusal part needs a string "refusal", got ${typeName(part.refusal)}`);
    summary.hasText = true;
    return;
  }
  if (type === 'image_url') {
    summary.images += 1;
    if (rules.assistant) sink.add('image_in_assistant', path, 'an assistant message contains an image; only input messages may');
    else if (rules.textOnly === 'preference') sink.add('preference_not_text', path, 'preference pairs are text only, but this message has an image');
    else if (rules.textOnly === 'tool') sink.add('invalid_content_type', path, 'tool messages are text only, but this one has an image');
    checkImagePart(sink, part, path);
    return;
  }
  const allowed = rules.assistant ? '"text" or "refusal"' : rules.textOnly ? '"text"' : '"text" or "image_url"';
  sink.add('invalid_content_type', at(path, 'type'), `content parts of type ${JSON.stringify(type ?? null)} are not supported`, `use parts of type ${allowed}`);
}

function checkImagePart(sink: Sink, part: Record<string, unknown>, path: string): void {
  checkKeys(sink, part, IMAGE_PART_KEYS, path, 'an image part');
  const image = part.image_url;
  const imagePath = at(path, 'image_url');
  if (!isObject(image)) {
    const was = typeof image === 'string' ? 'a bare string' : typeName(image);
    sink.add('invalid_image_part', imagePath, `image_url must be an object with a "url", got ${was}`);
    return;
  }
  checkKeys(sink, image, IMAGE_URL_KEYS, imagePath, 'image_url');
  const url = image.url;
  if (typeof url !== 'string' || url === '') {
    sink.add('invalid_image_part', at(imagePath, 'url'), 'image_url.url is missing or not a string');
  } else if (!/^https?:\/\//i.test(url) && !/^data:image\/(?:jpeg|jpg|png|webp);base64,/i.test(url)) {
    sink.add('invalid_image_part', at(imagePath, 'url'), `image_url.url must be an http(s) URL or a data:image/...;base64 URL, got "${url.slice(0, 40)}"`);
  }
  if (image.detail !== undefined && !(typeof image.detail === 'string' && DETAILS.has(image.detail))) {
    sink.add('invalid_image_part', at(imagePath, 'detail'), `image_url.detail must be "auto", "low" or "high", got ${JSON.stringify(image.detail)}`);
  }
}
