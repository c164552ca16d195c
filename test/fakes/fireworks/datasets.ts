/**
 * The Fireworks fake's datasets: create the record (`POST …/datasets` with `datasetId` and
 * `dataset`), upload the file (`POST …/datasets/{id}:upload`, multipart `file`), read it back
 * (`GET …/datasets/{id}`: UPLOADING until the file is in, then READY).
 */
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { readJson, type RequestContext, type Router } from '../shared/http.js';
import { fail, idAndVerb, RESOURCE_ID } from './rpc.js';

export type FakeDataset = Record<string, unknown> & { name: string; state: string; bytes: number };

export interface DatasetStore {
  datasets: Map<string, FakeDataset>;
  /** The next uploaded dataset reads as UPLOADING this many more times before READY. */
  slowReads: number;
  pendingReads: Map<string, number>;
}

export function datasetRoutes(router: Router, store: DatasetStore, account: string, checkAccount: (ctx: RequestContext) => void, clock: () => string): void {
  const { datasets, pendingReads } = store;
  router
    .on('POST', '/v1/accounts/:acct/datasets', async (ctx) => {
      checkAccount(ctx);
      const body = (await readJson(ctx, 1024 * 1024, () => fail(400, 'Invalid JSON body.'))) as { datasetId?: string; dataset?: Record<string, unknown> } | undefined;
      const id = body?.datasetId;
      if (!id || !RESOURCE_ID.test(id)) throw fail(400, 'datasetId must be 1-63 lowercase letters, digits or hyphens, starting with a letter.');
      if (!body.dataset) throw fail(400, 'dataset is required.');
      if (datasets.has(id)) throw fail(409, `dataset accounts/${account}/datasets/${id} already exists`);
      const ds = { ...body.dataset, name: `accounts/${account}/datasets/${id}`, state: 'UPLOADING', createTime: clock(), bytes: 0 };
      datasets.set(id, ds);
      return { json: ds };
    })
    .on('GET', '/v1/accounts/:acct/datasets/:ds', (ctx) => {
      checkAccount(ctx);
      const ds = datasets.get(ctx.params.ds ?? '');
      if (!ds) throw fail(404, `dataset accounts/${account}/datasets/${ctx.params.ds} not found`);
      const left = pendingReads.get(ds.name) ?? 0;
      if (left > 0) {
        pendingReads.set(ds.name, left - 1);
        return { json: { ...ds, state: 'UPLOADING' } };
      }
      return { json: ds };
    })
    .on('POST', '/v1/accounts/:acct/datasets/:ds', async (ctx) => {
      checkAccount(ctx);
      const [id, verb] = idAndVerb(ctx.params.ds);
      if (verb !== 'upload') throw fail(404, `Unknown method ${verb ?? ''}.`);
      const ds = datasets.get(id);
      if (!ds) throw fail(404, `dataset accounts/${account}/datasets/${id} not found`);
      const boundary = boundaryOf(ctx.req.headers['content-type']);
      if (!boundary) throw fail(400, 'Expected a multipart/form-data body with a file.');
      let body;
      try {
        body = await readMultipart(ctx.req, boundary, { keepBytes: 1024 * 1024, onBytes: (n) => (ctx.record.bodyBytes = n) });
      } catch (err) {
        if (err instanceof MultipartError) throw fail(400, err.message);
        throw err;
      }
      const file = body.files.file;
      if (!file || file.bytes === 0) throw fail(400, 'The upload has no file part, or it is empty.');
      const lines = file.content?.toString('utf8').split('\n').filter((l) => l.trim() !== '').length ?? 0;
      Object.assign(ds, { state: 'READY', bytes: file.bytes, exampleCount: String(lines) });
      pendingReads.set(ds.name, store.slowReads);
      store.slowReads = 0;
      return { json: {} };
    });
}
