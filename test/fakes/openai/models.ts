/** `/v1/models`: base models and the fine-tuned ones jobs produced, with optional shutdown dates. */
import type { Model } from 'openai/resources/models';
import type { Router } from '../shared/http.js';
import { notFound } from './api-error.js';
import type { FakeContext } from './context.js';
import type { StoredModel } from './state.js';

export function modelRoutes(router: Router, fake: FakeContext): void {
  router.on('GET', '/v1/models', () => ({ json: { object: 'list', data: allModels(fake).map(wire) } }));
  router.on('GET', '/v1/models/:model', (ctx) => {
    const id = ctx.params.model ?? '';
    const m = allModels(fake).find((x) => x.object.id === id);
    if (!m) throw notFound(`The model '${id}' does not exist or you do not have access to it.`, 'model');
    return { json: wire(m) };
  });
}

function allModels(fake: FakeContext): StoredModel[] {
  return [...fake.state.models.values()];
}

/** Base models are listed from the start (a test may remove one to make it "gone"). */
export function seedBaseModels(fake: FakeContext): void {
  for (const id of fake.opts.baseModels) fake.state.models.set(id, { object: { id, object: 'model', created: 1721172741, owned_by: 'system' }, shutdownDate: null });
}

function wire(m: StoredModel): Model {
  return m.shutdownDate ? { ...m.object, shutdown_date: m.shutdownDate } : m.object;
}
