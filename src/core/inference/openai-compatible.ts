/**
 * Chat completions through the `openai` SDK, for every OpenAI-compatible API: OpenAI itself,
 * Together, Fireworks, OpenRouter, a gateway (`--via`), and Azure through `AzureOpenAI` (see
 * providers/azure/inference.ts). The SDK retries 429, 5xx and dropped connections, honouring
 * `Retry-After`; answers are streamed so the time to the first token can be measured.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { ConfigError } from '../errors.js';
import { toCoreError, type FailureContext } from '../providers/errors.js';
import { failureOf } from '../providers/openai/errors.js';
import { chatBody, readCompletion, StreamFold, type BodyOptions } from './chat-body.js';
import type { CallOptions, InferenceClient, InferenceRequest, InferenceResponse, InferenceSettings } from './types.js';

export interface CompatibleSpec {
  provider: string;
  displayName: string;
  /** Environment variable holding the key, for messages. */
  apiKeyEnv: string;
  defaultBaseUrl: string;
  maxTokensField: BodyOptions['maxTokensField'];
  /** Whether the API accepts requests without a key (a local gateway holding the keys itself). */
  keyOptional?: boolean;
}

/** The SDK client with every option explicit, so it never falls back to process.env. */
export function compatibleClient(spec: CompatibleSpec, settings: InferenceSettings): OpenAI {
  const apiKey = settings.apiKey?.trim() || (spec.keyOptional ? 'none' : undefined);
  if (!apiKey) {
    throw new ConfigError('missing_api_key', `No ${spec.displayName} API key is set, so llmgw cannot ask ${spec.displayName} for answers.`, {
      hint: `set ${spec.apiKeyEnv} (or run \`llmgw config set ${spec.provider}.apiKey …\`)`,
    });
  }
  return new OpenAI({
    apiKey,
    baseURL: settings.baseUrl ?? spec.defaultBaseUrl,
    organization: settings.organization ?? null,
    project: settings.project ?? null,
    webhookSecret: null,
    logLevel: 'off',
    ...(settings.fetch && { fetch: settings.fetch }),
    ...(settings.headers && { defaultHeaders: settings.headers }),
    ...(settings.maxRetries !== undefined && { maxRetries: settings.maxRetries }),
    ...(settings.timeoutMs !== undefined && { timeout: settings.timeoutMs }),
  });
}

export class CompatibleChatClient implements InferenceClient {
  readonly provider: string;
  readonly endpoint: string;
  private readonly stream: boolean;

  constructor(
    private readonly spec: CompatibleSpec,
    readonly model: string,
    private readonly client: OpenAI,
    settings: InferenceSettings,
  ) {
    this.provider = spec.provider;
    this.stream = settings.stream ?? true;
    this.endpoint = `${spec.provider} ${client.baseURL.replace(/\/+$/, '')}${settings.headers ? ` ${headerFingerprint(settings.headers)}` : ''}`;
  }

  async complete(request: InferenceRequest, opts: CallOptions = {}): Promise<InferenceResponse> {
    const body = chatBody(this.model, request, { maxTokensField: this.spec.maxTokensField, stream: this.stream });
    const started = performance.now();
    try {
      if (!this.stream) {
        const raw = await this.client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal: opts.signal });
        const r = readCompletion(raw);
        return { text: r.text, toolCalls: r.toolCalls, usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens }, latencyMs: performance.now() - started, ttftMs: null, finishReason: r.finishReason, model: r.model };
      }
      let ttft: number | null = null;
      const fold = new StreamFold(() => (ttft = performance.now() - started));
      const stream = await this.client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal: opts.signal });
      for await (const chunk of stream) fold.add(chunk);
      return {
        text: fold.text,
        toolCalls: fold.toolCalls(),
        usage: { inputTokens: fold.inputTokens, outputTokens: fold.outputTokens },
        latencyMs: performance.now() - started,
        ttftMs: ttft,
        finishReason: fold.finishReason,
        model: fold.model,
      };
    } catch (err) {
      throw mapChatError(err, this.failureContext());
    }
  }

  private failureContext(): FailureContext {
    return { provider: this.spec.provider, displayName: this.spec.displayName, apiKeyEnv: this.spec.apiKeyEnv, action: `answer with ${this.model}`, secrets: [this.client.apiKey ?? undefined] };
  }
}

/** SDK errors become llmgw errors (with status, request id, retryability); anything else is rethrown. */
export function mapChatError(err: unknown, ctx: FailureContext): unknown {
  const f = failureOf(err);
  return f ? toCoreError(f, ctx) : err;
}

/** Header names and a short hash of their values: enough to tell two gateway configurations apart, never the values. */
function headerFingerprint(headers: Record<string, string>): string {
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  const hash = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 12);
  return `[${entries.map(([k]) => k).join(',')}#${hash}]`;
}

export function createCompatible(spec: CompatibleSpec, model: string, settings: InferenceSettings): InferenceClient {
  return new CompatibleChatClient(spec, model, compatibleClient(spec, settings), settings);
}
