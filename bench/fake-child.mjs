// The fake OpenAI server in a process of its own, driven over IPC by startFakeInChild()
// (bench/fake-openai.mjs). On 2 cores the fake burns ~3x the client's CPU during an upload; in the
// client's process its work and GC would be timed as the client's.
const { startFakeOpenAI } = await import(process.argv[2]);
const fake = await startFakeOpenAI(JSON.parse(process.argv[3]));
process.on('message', async (msg) => {
  if (msg.type === 'stats') {
    const stored = msg.fileId === undefined ? undefined : fake.state.files.get(msg.fileId);
    process.send({ type: 'stats', count: msg.match === undefined ? 0 : fake.count(msg.match), storedBytes: stored?.object.bytes ?? null });
  } else if (msg.type === 'close') {
    await fake.close();
    process.disconnect();
  }
});
process.send({ type: 'ready', baseURL: fake.baseURL, apiKey: fake.apiKey, pid: process.pid });
