/**
 * The inference contract `llmgw eval` measures through: one chat request in OpenAI's chat format
 * (the format of the datasets), one answer with its text, tool calls, token usage and timings.
 * Every provider's inference client (OpenAI-compatible chat completions, Gemini
 * `generateContent`, Bedrock `ConverseStream`) maps this request to its own API and back.
 */

/** A chat message as the dataset holds it (OpenAI chat format). Unknown fields are kept and ignored. */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | string;
  /** Text, or content parts (`{type: 'text', text}` …); null on an assistant turn that only calls tools. */
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCallMessage[];
  tool_call_id?: string;
}

export interface ContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

/** A tool call in a message, OpenAI style: arguments are JSON text. */
export interface ToolCallMessage {
  id?: string;
  type?: 'function' | string;
  function: { name: string; arguments: string };
}

/** A tool the model may call (OpenAI `tools[]` entry). */
export interface ToolDefinition {
  type: 'function' | string;
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

/** What is sent: the prompt turns and whatever the example carries besides (tools, response_format). */
export interface InferenceRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[] | undefined;
  /** OpenAI `tool_choice`, passed through. */
  toolChoice?: unknown;
  /** OpenAI `response_format` (`{type: 'json_object'}` or `{type: 'json_schema', json_schema: {name, schema, strict}}`). */
  responseFormat?: ResponseFormat | undefined;
  parallelToolCalls?: boolean | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  seed?: number | undefined;
}

export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema' | string;
  json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean };
}

/** A tool call in the answer. `arguments` is the JSON text the model produced (it may not parse). */
export interface ToolCall {
  name: string;
  arguments: string;
}

export interface Usage {
  /** Prompt tokens as the provider counted them; null when it did not say. */
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface InferenceResponse {
  /** The answer's text (empty when the model only called tools). */
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** Wall time from sending the request to the last byte of the answer, in ms. */
  latencyMs: number;
  /** Wall time to the first content (text or tool call) of a streamed answer, in ms; null when not streamed. */
  ttftMs: number | null;
  /** The provider's finish reason (`stop`, `length`, `tool_calls`, `end_turn`, …) as it said it. */
  finishReason: string | null;
  /** The model that answered, as the provider named it. */
  model: string | null;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** One model at one provider, ready to answer. */
export interface InferenceClient {
  /** Inference provider name, e.g. `openai`, `openrouter`, `vertex`. */
  readonly provider: string;
  /** The model id sent to the provider. */
  readonly model: string;
  /**
   * Identifies where requests go (provider, endpoint, account) without any secret, so cached
   * answers from one endpoint are never taken for another's.
   */
  readonly endpoint: string;
  complete(request: InferenceRequest, opts?: CallOptions): Promise<InferenceResponse>;
}

/** Provider-neutral settings an inference client is built from. Resolved by the CLI; never logged. */
export interface InferenceSettings {
  apiKey?: string | undefined;
  /** A bearer token used instead of a key (Azure Entra ID). */
  token?: string | undefined;
  baseUrl?: string | undefined;
  apiVersion?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  /** Vertex location, Bedrock region. */
  location?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  /** Extra headers on every request (a gateway's routing headers). */
  headers?: Record<string, string> | undefined;
  /** Stream answers to measure time to first token (default true). */
  stream?: boolean | undefined;
  /** Injectable fetch: the rate limiter wraps it to see `Retry-After`. */
  fetch?: typeof fetch | undefined;
  /** The environment, for SDKs that read their standard variables (endpoint overrides, credential chains). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

export interface InferenceFactory {
  readonly name: string;
  readonly displayName: string;
  create(model: string, settings: InferenceSettings): InferenceClient;
}
