/**
 * What a validation finds: the `Issue` shape and the catalogue of every code, its severity and
 * its default fix. Codes are stable snake_case; docs/rules.md documents each with an example
 * (a test keeps the two in step). Add a new rule's code here, in the group it belongs to.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Issue {
  code: IssueCode;
  severity: Severity;
  file: string;
  /** 1-based line, 0 for an issue about the whole file. */
  line: number;
  /** JSON path inside the example, e.g. `messages[2].content`; null for the whole line or file. */
  field: string | null;
  message: string;
  hint: string;
}

export interface IssueSpec {
  severity: Severity;
  /** One sentence: what the rule means. */
  summary: string;
  /** The default fix, used when a rule has nothing more specific to say. */
  hint: string;
}

/** Problems with the bytes and lines of the file itself. */
const readingIssues = {
  bom: { severity: 'error', summary: 'The file starts with a UTF-8 byte order mark, which JSON parsers of the provider reject.', hint: 'save the file as UTF-8 without BOM' },
  not_jsonl: { severity: 'error', summary: 'The file is not JSON Lines at all: it is CSV or TSV, a JSON array or pretty-printed JSON, UTF-16 text, or binary data. It is reported once, and no line is checked.', hint: 'convert it with `llmgw dataset convert <file> -o train.jsonl`' },
  compressed_file: { severity: 'error', summary: 'The file is gzip-compressed. Its lines were checked decompressed, but providers take plain JSONL files.', hint: 'decompress it before uploading (`gunzip -k <file>`)' },
  invalid_utf8: { severity: 'error', summary: 'The line contains bytes that are not valid UTF-8.', hint: 'convert the file from its real encoding: `llmgw dataset convert <file> -o utf8.jsonl --encoding windows-1252` (or latin1, utf-16le…)' },
  crlf_line_endings: { severity: 'info', summary: 'Lines end with CRLF (Windows) instead of LF; they are read fine, noted once per file.', hint: 'convert to LF endings if another tool needs them (`dos2unix`)' },
  blank_line: { severity: 'error', summary: 'The line is empty or only whitespace; every line of a JSONL file must be one JSON object.', hint: 'delete the empty line' },
  line_too_long: { severity: 'error', summary: 'The line is longer than the per-line byte limit, so it was skipped without being read.', hint: 'split or shorten the example, or raise the limit with --max-line-bytes' },
  invalid_json: { severity: 'error', summary: 'The line is not valid JSON.', hint: 'fix the JSON syntax; each line must be one complete JSON object' },
  not_an_object: { severity: 'error', summary: 'The line is valid JSON but not an object (an array, string, number…).', hint: 'wrap the example in an object such as {"messages": [...]}' },
  unknown_format: { severity: 'error', summary: 'The line is a JSON object with none of the keys of a known format (`messages`; `input` + `preferred_output` + `non_preferred_output`; `prompt` + `completion`), e.g. Alpaca or ShareGPT records.', hint: 'convert the file with `llmgw dataset convert <file> -o chat.jsonl`' },
  mixed_kinds: { severity: 'error', summary: 'The line is a different kind of example (chat, preference, prompt/completion) than the rest of the file.', hint: 'keep one kind per file, or force one with --kind' },
  model_cannot_train: { severity: 'error', summary: 'The base model (`--model`) cannot be trained on this kind of file: preference pairs on a model without DPO, images on a model without vision fine-tuning, or chat examples on a prompt/completion model.', hint: 'pick a model that trains on this kind with --model' },
  legacy_prompt_completion: { severity: 'error', summary: 'The file uses the legacy prompt/completion format, which chat models cannot be trained on.', hint: 'convert it with `llmgw dataset convert <file> -o chat.jsonl`' },
} as const satisfies Record<string, IssueSpec>;

/** Problems inside one example. */
const exampleIssues = {
  missing_messages: { severity: 'error', summary: 'A chat example has no `messages` array.', hint: 'add "messages": [{"role": "user", ...}, {"role": "assistant", ...}]' },
  empty_messages: { severity: 'error', summary: 'The `messages` array is empty.', hint: 'add at least a user and an assistant message' },
  missing_field: { severity: 'error', summary: 'A required key is missing (e.g. `tool_call_id` on a tool message, `input` or `preferred_output` on a preference pair, `prompt` or `completion`).', hint: 'add the missing key' },
  invalid_type: { severity: 'error', summary: 'A known key holds the wrong JSON type (e.g. `messages` is not an array, `name` is not a string).', hint: 'use the type the format expects' },
  unknown_key: { severity: 'error', summary: 'The example or a message has a key the format does not allow; the provider rejects the file.', hint: 'remove the key (or fix its spelling)' },
  sdk_field: { severity: 'warning', summary: 'A message has a field that SDK responses add and the provider ignores: `name` on a tool message, or `function_call`, `tool_calls`, `refusal` or `audio` set to null on a message whose role has no such field. It is accepted; `llmgw dataset convert` removes it.', hint: 'remove it, or run `llmgw dataset convert <file> -o clean.jsonl`, which does' },
  invalid_role: { severity: 'error', summary: 'A message has a missing or unknown `role`.', hint: 'use one of system, developer, user, assistant, tool, function' },
  missing_content: { severity: 'error', summary: 'A message has no `content` (assistant messages may leave it out only when they carry `tool_calls` or `function_call`).', hint: 'add "content"' },
  empty_content: { severity: 'warning', summary: 'A message\'s content is an empty string or only whitespace, which teaches the model nothing.', hint: 'write the content or remove the message' },
  invalid_content_type: { severity: 'error', summary: '`content` is neither a string nor an array of content parts, or a part has an unsupported type.', hint: 'use a string, or parts of type "text" and "image_url"' },
  no_assistant_message: { severity: 'error', summary: 'The example has no assistant message, so there is nothing to train on.', hint: 'add the assistant\'s reply as the last message' },
  no_trained_assistant: { severity: 'error', summary: 'Every assistant message has `weight: 0`, so nothing in the example is trained.', hint: 'set "weight": 1 on at least one assistant message (or drop the weights)' },
  invalid_weight: { severity: 'error', summary: '`weight` is not 0 or 1.', hint: 'use "weight": 0 (do not train this turn) or 1 (train it)' },
  weight_not_on_assistant: { severity: 'error', summary: '`weight` appears on a message that is not from the assistant.', hint: 'remove "weight"; only assistant turns can be weighted' },
  invalid_tool_call: { severity: 'error', summary: 'A tool call (or legacy `function_call`) is malformed: it needs an `id`, `type: "function"` and `function` with a valid `name` and `arguments`.', hint: 'use {"id": "call_1", "type": "function", "function": {"name": "...", "arguments": "{...}"}}' },
  tool_arguments_not_string: { severity: 'error', summary: '`arguments` of a tool call is not a string; it must be JSON text inside a string.', hint: 'encode the arguments as a string, e.g. "arguments": "{\\"city\\": \\"Paris\\"}"' },
  tool_arguments_invalid_json: { severity: 'warning', summary: 'The `arguments` string of a tool call is not valid JSON, so the model learns to produce broken calls.', hint: 'make the arguments string a JSON object' },
  unmatched_tool_message: { severity: 'error', summary: 'A tool message\'s `tool_call_id` does not match any earlier assistant tool call in the example.', hint: 'use the `id` of the assistant tool call this message answers' },
  invalid_tool_definition: { severity: 'error', summary: 'An entry of `tools` (or legacy `functions`) is malformed, or its function name is not `^[A-Za-z0-9_-]{1,64}$`.', hint: 'use {"type": "function", "function": {"name": "get_weather", "parameters": {...}}}' },
  invalid_image_part: { severity: 'error', summary: 'An image content part is malformed: it needs `image_url.url` (https or a data:image URL) and an optional `detail` of auto, low or high.', hint: 'use {"type": "image_url", "image_url": {"url": "https://...", "detail": "auto"}}' },
  image_in_assistant: { severity: 'error', summary: 'An assistant message contains an image; images are only allowed in input messages.', hint: 'move the image to a user message' },
  too_many_images: { severity: 'error', summary: 'The example has more images than the provider allows per example (10 for OpenAI).', hint: 'split the example or drop images' },
  preference_output_count: { severity: 'error', summary: '`preferred_output` or `non_preferred_output` does not hold exactly one message.', hint: 'give each output exactly one assistant message' },
  preference_output_role: { severity: 'error', summary: 'A preference output message is not from the assistant.', hint: 'set "role": "assistant" on both outputs' },
  preference_identical_outputs: { severity: 'error', summary: 'The preferred and non-preferred outputs are identical, so the pair teaches nothing.', hint: 'make the non-preferred output the worse answer' },
  preference_not_text: { severity: 'error', summary: 'A preference pair contains an image; preference (DPO) training is text only.', hint: 'use text content only' },
  long_unbroken_text: { severity: 'warning', summary: 'The example has a run of over 1,000 characters with no space or punctuation break (base64, a minified blob, repeated letters). Tokenizers slow down sharply on such runs and the model learns little from them; llmgw counts them in chunks, so the count is an estimate.', hint: 'remove the blob or move it out of the example (e.g. an image URL instead of inline data)' },
  example_too_long: { severity: 'warning', summary: 'The example has more tokens than the model\'s per-example limit; the provider truncates it from the end.', hint: 'shorten or split the example, or pick a model with a larger limit (--model)' },
  // Safety (src/core/dataset/safety/): the value is never echoed, only a masked form.
  possible_secret: { severity: 'warning', summary: 'The text contains what looks like a credential (an OpenAI, Anthropic, AWS, GitHub, Slack or Google key, a JWT, a private key block); a model trained on it can learn to repeat it.', hint: 'remove or mask it (`llmgw dataset convert --redact`), and rotate the key' },
  email_address: { severity: 'warning', summary: 'The text contains an e-mail address (addresses on documentation domains such as example.com are ignored); a model trained on it can repeat personal data.', hint: 'remove or mask it (`llmgw dataset convert --redact`) unless it is meant to be learnt' },
} as const satisfies Record<string, IssueSpec>;

/** Problems only visible across the whole file. */
const fileIssues = {
  too_few_examples: { severity: 'error', summary: 'The file has fewer examples than the provider\'s minimum (10 for OpenAI).', hint: 'add examples' },
  below_recommended_examples: { severity: 'warning', summary: 'The file has fewer examples than the provider recommends for a noticeable effect (50 for OpenAI).', hint: 'add more examples; 50-100 good ones is a common start' },
  duplicate_example: { severity: 'warning', summary: 'The line is byte-for-byte the same example as an earlier line.', hint: 'remove the repeated line' },
  file_too_large: { severity: 'error', summary: 'The file is larger than the provider accepts.', hint: 'split the file' },
} as const satisfies Record<string, IssueSpec>;

export const ISSUE_CATALOG = { ...readingIssues, ...exampleIssues, ...fileIssues } as const;

export type IssueCode = keyof typeof ISSUE_CATALOG;

export const ISSUE_CODES = Object.keys(ISSUE_CATALOG) as IssueCode[];

/** Where an issue is: the file and 1-based line (0 for the file). */
export interface Loc {
  file: string;
  line: number;
}

/** Builds an issue with the catalogue's severity and, unless given, its default hint. */
export function makeIssue(code: IssueCode, loc: Loc, field: string | null, message: string, hint?: string): Issue {
  const spec: IssueSpec = ISSUE_CATALOG[code];
  return { code, severity: spec.severity, file: loc.file, line: loc.line, field, message, hint: hint ?? spec.hint };
}
