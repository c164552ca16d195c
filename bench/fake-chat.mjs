// An OpenAI-compatible chat server that answers at once (streamed or whole), in a process of its
// own so its work is not timed as the client's. `node bench/fake-chat.mjs` prints its port.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const CHUNK = (id, delta, finish) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
let n = 0;
const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const last = body.messages.at(-1)?.content ?? '';
    const answer = `a${String(last).slice(1)}`;
    const id = `c${++n}`;
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, object: 'chat.completion', created: 1, model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(CHUNK(id, { role: 'assistant', content: '' }, null) + CHUNK(id, { content: answer }, null) + CHUNK(id, {}, 'stop'));
    res.end(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } })}\n\ndata: [DONE]\n\n`);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => m === 'close' && server.close(() => process.disconnect()));
