/**
 * The request loop shared by the Together and Fireworks fakes: bearer-key check, fault
 * injection from `FaultQueue` (error status with Retry-After, dropped connection, lost
 * response, delay), routing, and a record of every request. Each fake supplies its routes and
 * its provider's error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFault, FaultQueue, type FaultSpec } from '../shared/faults.js';
import { drain, HttpError, listen, newRecord, sleep, writeReply, type RecordedRequest, type Router, type StartedServer } from '../shared/http.js';

export interface ServeOptions {
  router: Router;
  /** The key the fake accepts as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Replaces the bearer check (Azure takes an `api-key` header). */
  authorize?: (req: IncomingMessage) => boolean;
  /** The provider's error body for a status and message. */
  errorBody: (status: number, message: string, fault?: FaultSpec['error']) => unknown;
  /** Called before each routed request (e.g. to move jobs on). */
  beforeRequest?: (method: string, path: string) => void;
}

export interface ServedFake extends StartedServer {
  faults: FaultQueue;
  requests: RecordedRequest[];
}

export async function serveFake(o: ServeOptions): Promise<ServedFake> {
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const record = newRecord(req, url.pathname, url.searchParams);
    requests.push(record);
    const fault = faults.take({ method, path: url.pathname });
    if (fault) record.fault = describeFault(fault);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      await drain(req, record);
      record.status = fault.status;
      const headers: Record<string, string> = { ...fault.headers };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      writeReply(res, { status: fault.status, json: o.errorBody(fault.status, fault.error?.message ?? `Fault injected: HTTP ${fault.status}.`, fault.error) }, headers);
      return;
    }
    try {
      const authorized = o.authorize ? o.authorize(req) : req.headers.authorization === `Bearer ${o.apiKey}`;
      if (!authorized) throw new HttpError(401, o.errorBody(401, 'Invalid API key provided.'));
      const found = o.router.find(method, url.pathname);
      if (found === undefined) throw new HttpError(404, o.errorBody(404, `Unknown path ${url.pathname}.`));
      if (found === 'wrong_method') throw new HttpError(405, o.errorBody(405, `Method ${method} is not allowed here.`));
      o.beforeRequest?.(method, url.pathname);
      const reply = await found.handler({ req, res, method, path: url.pathname, query: url.searchParams, params: found.params, record });
      if (fault?.loseResponse) {
        req.socket.destroy();
        return;
      }
      record.status = reply.status ?? 200;
      writeReply(res, reply, { 'x-request-id': `req_${requests.length}` });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      await drain(req, record);
      record.status = err.status;
      writeReply(res, { status: err.status, json: err.body }, { ...err.headers, 'x-request-id': `req_${requests.length}` });
    }
  };

  const server = await listen((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake crashed: ${String(err)}`);
    });
  });
  return { ...server, faults, requests };
}
