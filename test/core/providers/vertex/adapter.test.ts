import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, mark, setupVertex, until, type VertexSetup } from './helpers.js';

let v: VertexSetup;
beforeAll(async () => {
  v = await setupVertex();
});
afterAll(async () => v.close());

describe('Vertex adapter over the fake Google Cloud, authenticated through a service-account key', () => {
  it('uploads OpenAI chat data converted to Vertex tuning JSONL, once per content', async () => {
    const provider = v.provider();
    const data = await v.dataFile('train.jsonl', [chat('Hi?', 'Hello.'), chat('Bye?', 'Goodbye.')]);
    const file = await provider.upload({ ...data, filename: 'train.jsonl' });
    expect(file.id).toMatch(/^gs:\/\/llmgw-data\/llmgw\/[0-9a-f]{64}\.jsonl$/);
    const name = file.id.replace('gs://llmgw-data/', '');
    const stored = v.fake.store.get('llmgw-data', name);
    const lines = stored?.data.toString().trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines?.[0]).toEqual({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'Hi?' }] }, { role: 'model', parts: [{ text: 'Hello.' }] }] });
    const sessions = () => v.fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/upload/')).length;
    const before = sessions();
    const again = await v.provider().upload({ ...data, filename: 'train.jsonl' });
    expect(again.id).toBe(file.id);
    expect(sessions()).toBe(before);
    // Cloud Storage (an emulator here) gets no credentials.
    expect(v.fake.requests.filter((r) => r.path.startsWith('/upload/') || r.path.startsWith('/storage/')).every((r) => !r.hadAuthorization)).toBe(true);
  });

  it('creates a labelled job, follows it to a served endpoint and finds it again by its ledger label', async () => {
    const provider = v.provider();
    const data = await v.dataFile('train2.jsonl', [chat('a?', 'b.'), chat('c?', 'd.')]);
    const file = await provider.upload({ ...data });
    const job = await provider.createJob({ ledgerId: 'lj_0123abcd', baseModel: 'gemini-2.5-flash', trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2, learningRateMultiplier: 0.5, extra: { adapterSize: 4 } }, suffix: 'support-bot' });
    expect(job.id).toMatch(/^projects\/123456789012\/locations\/us-central1\/tuningJobs\/\d+$/);
    expect(job.metadata).toEqual({ llmgw_ledger_id: 'lj_0123abcd' });
    // The token came from the key file's token_uri, signed with its key; Vertex calls carry it.
    expect(v.fake.tokens.requests).toBe(1);
    expect(v.fake.requests.filter((r) => r.path.startsWith('/v1/')).every((r) => r.hadAuthorization)).toBe(true);
    const sent = JSON.parse(v.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tuningJobs')).at(-1)?.bodyText ?? '{}') as Record<string, unknown>;
    expect(sent).toMatchObject({ baseModel: 'gemini-2.5-flash', tunedModelDisplayName: 'support-bot', supervisedTuningSpec: { trainingDatasetUri: file.id, hyperParameters: { epochCount: 2, learningRateMultiplier: 0.5, adapterSize: 'ADAPTER_SIZE_FOUR' } } });
    expect(v.fake.requests.filter((r) => r.path.includes('/tuningJobs')).every((r) => r.path.startsWith('/v1/projects/llmgw-test/locations/us-central1/'))).toBe(true);

    const done = await until(() => provider.getJob(job.id), (j) => j.status === 'succeeded');
    expect(done.fineTunedModel).toMatch(/^projects\/123456789012\/locations\/us-central1\/endpoints\/\d+$/);
    expect(done.hyperparameters).toEqual({ epochs: 2, learningRateMultiplier: 0.5, extra: { adapterSize: 4 } });
    const events = (await provider.listEvents(job.id, { limit: 50 })).data;
    expect(events[0]?.message).toMatch(/^Job succeeded/);
    expect(events.filter((e) => e.data?.total_steps === 2).map((e) => e.data?.step)).toEqual([2, 1]);
    const checkpoints = (await provider.listCheckpoints(job.id)).data;
    expect(checkpoints.map((c) => c.step)).toEqual([4, 2]);
    const serving = await provider.serving(job.id);
    expect(serving).toEqual({ project: '123456789012', location: 'us-central1', endpoint: done.fineTunedModel, endpointId: done.fineTunedModel?.split('/').at(-1), tunedModel: expect.stringMatching(/\/models\/\d+@1$/) });

    expect(await provider.findCreatedJob(mark('lj_0123abcd'))).toMatchObject({ kind: 'found', job: { id: job.id } });
    expect(await provider.findCreatedJob(mark('lj_ffffffff'))).toEqual({ kind: 'absent' });
  });

  it('previews the create call exactly as the SDK sends it (supervised and preference), token not shown', async () => {
    const provider = v.provider();
    const data = await v.dataFile('train-preview.jsonl', [chat('e?', 'f.'), chat('g?', 'h.')]);
    const file = await provider.upload({ ...data });
    const requests = [
      { ledgerId: 'lj_0000preview1', baseModel: 'gemini-2.5-flash', trainingFileId: file.id, validationFileId: file.id, method: 'supervised' as const, hyperparameters: { epochs: 3, learningRateMultiplier: 2, extra: { adapterSize: 8 } }, suffix: 'preview', metadata: { team: 'support' } },
      { ledgerId: 'lj_0000preview2', baseModel: 'gemini-2.5-flash', trainingFileId: file.id, method: 'dpo' as const, hyperparameters: { beta: 0.2 } },
    ];
    for (const req of requests) {
      const preview = provider.previewCreateJob(req);
      await provider.createJob(req);
      const post = v.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tuningJobs')).at(-1);
      expect(preview.body).toEqual(JSON.parse(post?.bodyText ?? '{}'));
      expect(preview.url).toBe(`${v.fake.url}${post?.path ?? ''}`);
      expect(preview.method).toBe('POST');
      expect(JSON.stringify(preview.headers)).not.toMatch(/ya29|eyJ/);
    }
  });

  it('pages the job list by nextPageToken, newest first', async () => {
    const provider = v.provider();
    const data = await v.dataFile('p.jsonl', [chat('x?', 'y.')]);
    const file = await provider.upload(data);
    for (const id of ['lj_p1', 'lj_p2', 'lj_p3']) await provider.createJob({ ledgerId: id, baseModel: 'gemini-2.5-flash', trainingFileId: file.id, method: 'supervised', hyperparameters: {} });
    const first = await provider.listJobs({ limit: 2 });
    expect(first.hasMore).toBe(true);
    const second = await provider.listJobs({ limit: 2, after: first.nextCursor ?? undefined });
    const ids = [...first.data, ...second.data].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.data[0]?.metadata.llmgw_ledger_id).toBe('lj_p3');
  });
});
