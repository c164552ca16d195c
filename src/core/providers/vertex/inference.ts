/**
 * Gemini `generateContent` on Vertex AI through `@google/genai`, for `llmgw eval`: a publisher
 * model (`vertex:gemini-2.5-flash`) or a tuned model's endpoint
 * (`projects/P/locations/L/endpoints/N`). Streamed (`streamGenerateContent?alt=sse`) so the time to
 * first token is measured. Credentials: Google ADC, or an API key (Vertex express mode) when
 * `GOOGLE_API_KEY` is set; `GOOGLE_VERTEX_BASE_URL` overrides the endpoint.
 */
import { performance } from 'node:perf_hooks';
import { ApiError, GoogleGenAI, type Content, type GenerateContentConfig, type GenerateContentResponse, type Part } from '@google/genai';
import { ConfigError, isLlmgwError } from '../../errors.js';
import { toCoreError, type FailureContext } from '../errors.js';
import { toTurns } from '../../inference/turns.js';
import type { CallOptions, InferenceClient, InferenceFactory, InferenceRequest, InferenceResponse, InferenceSettings, ToolCall } from '../../inference/types.js';

const DEFAULT_LOCATION = 'us-central1';

/** The request in Gemini's shape: contents, system instruction, tools and the JSON output mode. */
export function toGemini(req: InferenceRequest): { contents: Content[]; config: GenerateContentConfig } {
  const { system, turns } = toTurns(req.messages);
  const contents: Content[] = turns.map((t) => ({
    role: t.role === 'assistant' ? 'model' : 'user',
    parts: t.parts.map((p): Part => {
      if (p.kind === 'text') return { text: p.text };
      if (p.kind === 'call') return { functionCall: { name: p.name, args: p.args } };
      return { functionResponse: { name: p.name, response: { content: p.text } } };
    }),
  }));
  const config: GenerateContentConfig = {};
  if (system) config.systemInstruction = system;
  const functions = (req.tools ?? []).filter((t) => t.type === 'function').map((t) => ({ name: t.function.name, description: t.function.description, parametersJsonSchema: t.function.parameters ?? { type: 'object', properties: {} } }));
  if (functions.length) config.tools = [{ functionDeclarations: functions }];
  const rf = req.responseFormat;
  if (rf?.type === 'json_object' || rf?.type === 'json_schema') config.responseMimeType = 'application/json';
  if (rf?.type === 'json_schema' && rf.json_schema?.schema) config.responseJsonSchema = rf.json_schema.schema;
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.maxTokens !== undefined) config.maxOutputTokens = req.maxTokens;
  if (req.seed !== undefined) config.seed = req.seed;
  return { contents, config };
}

class GeminiFold {
  text = '';
  calls: ToolCall[] = [];
  finish: string | null = null;
  model: string | null = null;
  input: number | null = null;
  output: number | null = null;

  add(r: GenerateContentResponse): boolean {
    let content = false;
    const cand = r.candidates?.[0];
    for (const p of cand?.content?.parts ?? []) {
      if (p.text && !p.thought) {
        this.text += p.text;
        content = true;
      }
      if (p.functionCall) {
        this.calls.push({ name: p.functionCall.name ?? '', arguments: JSON.stringify(p.functionCall.args ?? {}) });
        content = true;
      }
    }
    if (cand?.finishReason) this.finish = String(cand.finishReason);
    if (r.modelVersion) this.model = r.modelVersion;
    if (r.usageMetadata) {
      this.input = r.usageMetadata.promptTokenCount ?? this.input;
      this.output = r.usageMetadata.candidatesTokenCount ?? this.output;
    }
    return content;
  }
}

class VertexChatClient implements InferenceClient {
  readonly provider = 'vertex';
  readonly endpoint: string;
  private readonly ai: GoogleGenAI;
  private readonly stream: boolean;

  constructor(
    readonly model: string,
    private readonly settings: InferenceSettings,
  ) {
    const env = settings.env ?? {};
    const project = settings.project ?? env.GOOGLE_CLOUD_PROJECT;
    const location = settings.location ?? env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_LOCATION;
    if (!project && !settings.apiKey) {
      throw new ConfigError('missing_project', 'No Google Cloud project for Vertex AI: GOOGLE_CLOUD_PROJECT is not set.', { hint: 'set GOOGLE_CLOUD_PROJECT (and GOOGLE_CLOUD_LOCATION, default us-central1); credentials come from Google ADC (`gcloud auth application-default login`)' });
    }
    const baseUrl = settings.baseUrl ?? env.GOOGLE_VERTEX_BASE_URL;
    this.stream = settings.stream ?? true;
    this.endpoint = `vertex ${baseUrl ?? `https://${location}-aiplatform.googleapis.com`} ${project ?? ''}/${location}`;
    const attempts = (settings.maxRetries ?? 2) + 1;
    this.ai = new GoogleGenAI({
      vertexai: true,
      project,
      location,
      ...(settings.apiKey && { apiKey: settings.apiKey }),
      httpOptions: {
        apiVersion: 'v1',
        ...(baseUrl && { baseUrl }),
        ...(settings.timeoutMs !== undefined && { timeout: settings.timeoutMs }),
        ...(settings.fetch && { fetch: settings.fetch }),
        ...(settings.headers && { headers: settings.headers }),
        retryOptions: { attempts },
      },
    });
  }

  async complete(request: InferenceRequest, opts: CallOptions = {}): Promise<InferenceResponse> {
    const { contents, config } = toGemini(request);
    const params = { model: this.model, contents, config: { ...config, ...(opts.signal && { abortSignal: opts.signal }) } };
    const started = performance.now();
    const fold = new GeminiFold();
    let ttft: number | null = null;
    try {
      if (this.stream) {
        for await (const chunk of await this.ai.models.generateContentStream(params)) {
          if (fold.add(chunk) && ttft === null) ttft = performance.now() - started;
        }
      } else fold.add(await this.ai.models.generateContent(params));
    } catch (err) {
      throw this.mapped(err, opts.signal);
    }
    return { text: fold.text, toolCalls: fold.calls, usage: { inputTokens: fold.input, outputTokens: fold.output }, latencyMs: performance.now() - started, ttftMs: ttft, finishReason: fold.finish, model: fold.model };
  }

  private mapped(err: unknown, signal: AbortSignal | undefined): unknown {
    if (isLlmgwError(err)) return err;
    const ctx: FailureContext = { provider: 'vertex', displayName: 'Vertex AI', apiKeyEnv: 'GOOGLE_API_KEY', action: `answer with ${this.model}`, secrets: [this.settings.apiKey] };
    if (signal?.aborted) return toCoreError({ kind: 'aborted' }, ctx);
    if (err instanceof ApiError) return toCoreError({ kind: 'http', status: err.status, message: err.message }, ctx);
    const message = err instanceof Error ? err.message : String(err);
    if (/default credentials|could not load the default|invalid_grant|unable to detect a project/i.test(message)) {
      return new ConfigError('missing_credentials', `Vertex AI has no credentials to use: ${message.split('\n')[0]}`, { hint: 'run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file), or GOOGLE_API_KEY for Vertex express mode' });
    }
    if (err instanceof TypeError) return toCoreError({ kind: 'connection', message }, ctx);
    return err;
  }
}

export const inference: InferenceFactory = { name: 'vertex', displayName: 'Vertex AI', create: (model, settings) => new VertexChatClient(model, settings) };
