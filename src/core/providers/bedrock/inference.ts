/**
 * Amazon Bedrock `Converse` through `@aws-sdk/client-bedrock-runtime`, for `llmgw eval`: a
 * foundation model or inference profile id, or the ARN that serves a custom model (a custom-model
 * deployment or a provisioned throughput). Credentials from the AWS default chain, region from
 * `AWS_REGION`, endpoint override `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. Whole answers (`Converse`,
 * not `ConverseStream`), so there is no time to first token.
 */
import { performance } from 'node:perf_hooks';
import { BedrockRuntimeClient, BedrockRuntimeServiceException, ConverseCommand, type ContentBlock, type ConverseCommandInput, type Message, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '../../errors.js';
import { toCoreError, type FailureContext } from '../errors.js';
import { toTurns } from '../../inference/turns.js';
import type { CallOptions, InferenceClient, InferenceFactory, InferenceRequest, InferenceResponse, InferenceSettings } from '../../inference/types.js';

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

  constructor(
    readonly model: string,
    settings: InferenceSettings,
  ) {
    const env = settings.env ?? {};
    const region = settings.location ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? /^arn:aws[^:]*:bedrock:([a-z0-9-]+):/.exec(model)?.[1];
    if (!region) throw new ConfigError('missing_region', 'No AWS region for Amazon Bedrock: AWS_REGION is not set.', { hint: 'set AWS_REGION (e.g. us-east-1), or name the model by its ARN, which carries its region' });
    const endpoint = settings.baseUrl ?? env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    this.endpoint = `bedrock ${endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`}`;
    this.client = new BedrockRuntimeClient({ region, ...(endpoint && { endpoint }), maxAttempts: (settings.maxRetries ?? 2) + 1 });
  }

  async complete(request: InferenceRequest, opts: CallOptions = {}): Promise<InferenceResponse> {
    const started = performance.now();
    try {
      const out = await this.client.send(new ConverseCommand(toConverse(this.model, request)), { abortSignal: opts.signal });
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
    } catch (err) {
      throw this.mapped(err, opts.signal);
    }
  }

  private mapped(err: unknown, signal: AbortSignal | undefined): unknown {
    const ctx: FailureContext = { provider: 'bedrock', displayName: 'Amazon Bedrock', apiKeyEnv: 'AWS_ACCESS_KEY_ID', action: `answer with ${this.model}`, secrets: [] };
    if (signal?.aborted) return toCoreError({ kind: 'aborted' }, ctx);
    const name = (err as { name?: string } | undefined)?.name ?? '';
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test((err as Error)?.message ?? '')) {
      return new ConfigError('missing_credentials', 'Amazon Bedrock has no AWS credentials to use: the default chain found none.', { hint: 'set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance or container role is available' });
    }
    if (err instanceof BedrockRuntimeServiceException) {
      const status = err.$metadata.httpStatusCode;
      const http = { kind: 'http' as const, status, requestId: err.$metadata.requestId, code: err.name, message: err.message };
      // Bedrock answers a wrong or unauthorised key with 403 (AccessDenied / UnrecognizedClient): the fix is the credentials.
      if (status === 403) return new ConfigError('provider_auth_failed', `Amazon Bedrock refused the credentials (HTTP 403 ${err.name}): ${err.message}`, { hint: 'check the AWS credentials and that their role may call bedrock:InvokeModel on this model in this region' });
      return toCoreError(http, ctx);
    }
    if (name === 'TimeoutError') return toCoreError({ kind: 'timeout' }, ctx);
    if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|socket|network/i.test(err.message)) return toCoreError({ kind: 'connection', message: err.message }, ctx);
    return err;
  }
}

export const inference: InferenceFactory = { name: 'bedrock', displayName: 'Amazon Bedrock', create: (model, settings) => new BedrockChatClient(model, settings) };
