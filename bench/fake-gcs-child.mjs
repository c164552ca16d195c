// The fake Cloud Storage in a process of its own, driven over IPC by bench/vertex.bench.mjs.
const { startFakeGcs } = await import(process.argv[2]);
const fake = await startFakeGcs({ buckets: ['llmgw-data'] });
process.on('message', async (msg) => {
  if (msg.type === 'size') process.send({ type: 'size', bytes: fake.store.get('llmgw-data', msg.name)?.data.length ?? null });
  else if (msg.type === 'close') {
    await fake.close();
    process.disconnect();
  }
});
process.send({ type: 'ready', host: fake.url.replace(/^http:\/\//, '') });
