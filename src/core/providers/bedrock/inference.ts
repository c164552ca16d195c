/**
 * Amazon Bedrock `Converse` through `@aws-sdk/client-bedrock-runtime`, for `llmgw eval`: a
 * foundation model or inference profile id, or the ARN that serves a custom model (a custom-model
 * deployment or a provisioned throughput). Credentials from the AWS default chain, region from
 * `AWS_REGION`, endpoint override `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. Answers are streamed
 * (`ConverseStream`) so the time to first token is measured; `--no-stream` asks `Converse` for
 * whole answers.
 */
import { performance } from 'node:perf_hooks';
import { BedrockRuntimeClient, BedrockRuntimeServiceException, ConverseCommand, ConverseStreamCommand, type ContentBlock, type ConverseCommandInput, type Message, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '../../errors.js';
import { ConverseStreamFold, RETRYABLE_STREAM_EXCEPTIONS, STREAM_EXCEPTION_STATUS } from './converse-stream.js';
import { toCoreError, type FailureContext } from '../errors.js';
import { toTurns } from '../../inference/turns.js';
import type { CallOptions, InferenceClient, InferenceFactory, InferenceRequest, InferenceResponse, InferenceSettings } from '../../inference/types.js';
import { sleep as pause } from '../../sleep.js';

/** The request in Converse's shape. Bedrock has no JSON output mode: `response_format` is not sent. */
export function toConverse(modelId: string, req: InferenceRequest): ConverseCommandInput {
  const { system, turns } = toTurns(req.messages);
  const messages: Message[] = turns.map((t) => ({
    role: t.role,
    content: t.parts.map((p): ContentBlock => {
      if (p.kind === 'text') return { text: p.text };
      if (p.kind === 'call') return { toolUse: { toolUseId: p.id, name: p.name, input: p.args as never } };
      return { toolResult: { toolUseId: p.id, content: [{ text: p.text }] } };
    }),
  }));
  const tools: Tool[] = (req.tools ?? []).filter((t) => t.type === 'function').map((t) => ({ toolSpec: { name: t.function.name, description: t.function.description, inputSchema: { json: (t.function.parameters ?? { type: 'object', properties: {} }) as never } } }));
  const inferenceConfig = { ...(req.maxTokens !== undefined && { maxTokens: req.maxTokens }), ...(req.temperature !== undefined && { temperature: req.temperature }) };
  return {
    modelId,
    messages,
    ...(system && { system: [{ text: system }] }),
    ...(tools.length && { toolConfig: { tools } }),
    ...(Object.keys(inferenceConfig).length && { inferenceConfig }),
  };
}

class BedrockChatClient implements InferenceClient {
  readonly provider = 'bedrock';
  readonly endpoint: string;
  private readonly client: BedrockRuntimeClient;
  private readonly stream: boolean;
  private readonly maxRetries: number;

  constructor(
    readonly model: string,
    settings: InferenceSettings,
  ) {
    const env = settings.env ?? {};
    const region = settings.location ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? /^arn:aws[^:]*:bedrock:([a-z0-9-]+):/.exec(model)?.[1];
    if (!region) throw new ConfigError('missing_region', 'No AWS region for Amazon Bedrock: AWS_REGION is not set.', { hint: 'set AWS_REGION (e.g. us-east-1), or name the model by its ARN, which carries its region' });
    const endpoint = settings.baseUrl ?? env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    this.endpoint = `bedrock ${endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`}`;
    this.stream = settings.stream ?? true;
    this.maxRetries = settings.maxRetries ?? 2;
    this.client = new BedrockRuntimeClient({ region, ...(endpoint && { endpoint }), maxAttempts: this.maxRetries + 1 });
  }

  async complete(request: InferenceRequest, opts: CallOptions = {}): Promise<InferenceResponse> {
    const started = performance.now();
    try {
      return this.stream ? await this.streamed(request, started, opts.signal) : await this.whole(request, started, opts.signal);
    } catch (err) {
      throw this.mapped(err, opts.signal);
    }
  }

  private async whole(request: InferenceRequest, started: number, signal: AbortSignal | undefined): Promise<InferenceResponse> {
    const out = await this.client.send(new ConverseCommand(toConverse(this.model, request)), { abortSignal: signal });
    const parts = out.output?.message?.content ?? [];
    return {
      text: parts.map((p) => p.text ?? '').join(''),
      toolCalls: parts.filter((p) => p.toolUse).map((p) => ({ name: p.toolUse?.name ?? '', arguments: JSON.stringify(p.toolUse?.input ?? {}) })),
      usage: { inputTokens: out.usage?.inputTokens ?? null, outputTokens: out.usage?.outputTokens ?? null },
      latencyMs: performance.now() - started,
      ttftMs: null,
      finishReason: out.stopReason ?? null,
      model: null,
    };
  }

  /**
   * The SDK retries a refusal that comes as the HTTP status; a throttling or server exception that
   * arrives as an event after the 200 is retried here, the whole answer asked again, with the
   * SDK's backoff (exponential from 100 ms, full jitter) and the same number of attempts. Timings
   * run from the first attempt, as with the SDKs that retry inside one call.
   */
  private async streamed(request: InferenceRequest, started: number, signal: AbortSignal | undefined): Promise<InferenceResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.streamOnce(request, started, signal);
      } catch (err) {
        const name = (err as { name?: string } | undefined)?.name ?? '';
        if (attempt >= this.maxRetries || signal?.aborted || !RETRYABLE_STREAM_EXCEPTIONS.has(name) || !midStream(err)) throw err;
        await pause(Math.random() * Math.min(20_000, 100 * 2 ** attempt), signal);
      }
    }
  }

  private async streamOnce(request: InferenceRequest, started: number, signal: AbortSignal | undefined): Promise<InferenceResponse> {
    let ttft: number | null = null;
    const fold = new ConverseStreamFold(() => (ttft = performance.now() - started));
    const out = await this.client.send(new ConverseStreamCommand(toConverse(this.model, request)), { abortSignal: signal });
    for await (const event of out.stream ?? []) fold.add(event);
    return {
      text: fold.text,
      toolCalls: fold.toolCalls(),
      usage: { inputTokens: fold.inputTokens, outputTokens: fold.outputTokens },
      latencyMs: performance.now() - started,
      ttftMs: ttft,
      finishReason: fold.stopReason,
      model: null,
    };
  }

  private mapped(err: unknown, signal: AbortSignal | undefined): unknown {
    const ctx: FailureContext = { provider: 'bedrock', displayName: 'Amazon Bedrock', apiKeyEnv: 'AWS_ACCESS_KEY_ID', action: `answer with ${this.model}`, secrets: [] };
    if (signal?.aborted) return toCoreError({ kind: 'aborted' }, ctx);
    const name = (err as { name?: string } | undefined)?.name ?? '';
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test((err as Error)?.message ?? '')) {
      return new ConfigError('missing_credentials', 'Amazon Bedrock has no AWS credentials to use: the default chain found none.', { hint: 'set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance or container role is available' });
    }
    if (err instanceof BedrockRuntimeServiceException) {
      // An exception event inside a stream has no HTTP status of its own: the one it stands for.
      const inStream = midStream(err);
      const status = inStream ? (STREAM_EXCEPTION_STATUS[err.name] ?? 500) : err.$metadata.httpStatusCode;
      const http = { kind: 'http' as const, status, requestId: inStream ? undefined : err.$metadata.requestId, code: err.name, message: err.message };
      // Bedrock answers a wrong or unauthorised key with 403 (AccessDenied / UnrecognizedClient): the fix is the credentials.
      if (status === 403) return new ConfigError('provider_auth_failed', `Amazon Bedrock refused the credentials (HTTP 403 ${err.name}): ${err.message}`, { hint: 'check the AWS credentials and that their role may call bedrock:InvokeModel on this model in this region' });
      return toCoreError(http, ctx);
    }
    if (name === 'TimeoutError') return toCoreError({ kind: 'timeout' }, ctx);
    if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|socket|network/i.test(err.message)) return toCoreError({ kind: 'connection', message: err.message }, ctx);
    return err;
  }
}

/** An exception that came as an event of a stream, not as the HTTP response (which has a status). */
function midStream(err: unknown): boolean {
  // The SDK builds such an exception from the event alone: it has no `$metadata`, whatever its type says.
  return err instanceof BedrockRuntimeServiceException && (err.$metadata as typeof err.$metadata | undefined)?.httpStatusCode === undefined;
}


export const inference: InferenceFactory = { name: 'bedrock', displayName: 'Amazon Bedrock', create: (model, settings) => new BedrockChatClient(model, settings) };
