/**
 * What Together's official OpenAPI spec (togethercomputer/openapi) requires of a create request,
 * checked field by field: `training_file` and `model` are required; `training_method` is
 * `TrainingMethodSFT` (`method: "sft"` and `train_on_inputs`, a boolean or `"auto"`, both
 * required) or `TrainingMethodDPO` (`method: "dpo"`); `training_type` is `FullTrainingType` or
 * `LoRATrainingType` (`lora_r` and `lora_alpha` integers, required); `batch_size` an integer or
 * `"max"`. The suffix limit (40) is the one Together's own tooling applies.
 */

export const SUFFIX_LIMIT = 40;

export interface Violation {
  param: string;
  message: string;
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

export function createViolations(body: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  const need = (param: string, ok: boolean, message: string) => {
    if (!ok) out.push({ param, message });
  };
  need('training_file', typeof body.training_file === 'string' && body.training_file !== '', "'training_file' is a required property");
  need('model', typeof body.model === 'string' && body.model !== '', "'model' is a required property");
  const method = body.training_method as Record<string, unknown> | undefined;
  if (method !== undefined) {
    if (method.method === 'sft') {
      const t = method.train_on_inputs;
      need('training_method.train_on_inputs', typeof t === 'boolean' || t === 'auto', "'train_on_inputs' is a required property of TrainingMethodSFT (a boolean or \"auto\")");
    } else {
      need('training_method.method', method.method === 'dpo', "training_method.method must be 'sft' or 'dpo'");
    }
  }
  const type = body.training_type as Record<string, unknown> | null | undefined;
  if (type !== undefined && type !== null) {
    if (type.type === 'Lora') {
      need('training_type.lora_r', isInt(type.lora_r), "'lora_r' is a required integer of LoRATrainingType");
      need('training_type.lora_alpha', isInt(type.lora_alpha), "'lora_alpha' is a required integer of LoRATrainingType");
    } else {
      need('training_type.type', type.type === 'Full', "training_type.type must be 'Full' or 'Lora'");
    }
  }
  if (body.batch_size !== undefined) need('batch_size', isInt(body.batch_size) || body.batch_size === 'max', 'batch_size must be an integer or "max"');
  if (body.n_epochs !== undefined) need('n_epochs', isInt(body.n_epochs), 'n_epochs must be an integer');
  if (body.suffix !== undefined) need('suffix', typeof body.suffix === 'string' && body.suffix.length <= SUFFIX_LIMIT, `suffix must be a string of at most ${SUFFIX_LIMIT} characters`);
  return out;
}
