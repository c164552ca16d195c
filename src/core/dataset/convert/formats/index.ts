import type { RecordConverter, RecordFormat, SourceRecord } from '../types.js';
import { alpaca } from './alpaca.js';
import { chat } from './chat.js';
import { hhRlhf } from './hh-rlhf.js';
import { preference } from './preference.js';
import { promptCompletion } from './prompt-completion.js';
import { sharegpt } from './sharegpt.js';

/** Every record format, in detection order (the most specific shapes first). */
export const converters = {
  'hh-rlhf': hhRlhf,
  preference,
  sharegpt,
  chat,
  alpaca,
  'prompt-completion': promptCompletion,
} as const satisfies Record<RecordFormat, RecordConverter>;

const detectionOrder: readonly RecordConverter[] = Object.values(converters);

/** The format whose shape this record has, or undefined. */
export function detectRecordFormat(record: SourceRecord): RecordConverter | undefined {
  return detectionOrder.find((c) => c.matches(record));
}
