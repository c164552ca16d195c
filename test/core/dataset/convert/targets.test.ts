import { describe, expect, it } from 'vitest';
import { loadOutputFormat, outputFormatNames, registerOutputFormat, type OpenAIExample } from '../../../../src/core/dataset/convert/targets.js';

const chat: OpenAIExample = { kind: 'chat', value: { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] } };

describe('output formats for --to', () => {
  it('has chat and preference built in, writing the OpenAI example unchanged', async () => {
    expect(outputFormatNames().slice(0, 2)).toEqual(['chat', 'preference']);
    const writer = await (await loadOutputFormat('chat')).create({});
    expect(writer.write(chat)).toEqual({ line: chat.value });
    expect((await loadOutputFormat('preference')).accepts).toEqual(['preference']);
  });

  it('refuses an unknown name with the known ones, and takes a format registered at run time', async () => {
    await expect(loadOutputFormat('nope')).rejects.toMatchObject({ code: 'unknown_format', exitCode: 2, hint: expect.stringContaining('--to chat') });
    registerOutputFormat('shout', {
      summary: 'upper-cased answers',
      accepts: ['chat'],
      create: () => ({
        write: (ex) =>
          ex.kind === 'chat' ? { line: { turns: ex.value.messages.map((m) => String(m.content).toUpperCase()) }, notes: ['upper-cased every turn'] } : { skip: 'chat only' },
      }),
    });
    expect(outputFormatNames()).toContain('shout');
    const writer = await (await loadOutputFormat('shout')).create({});
    expect(writer.write(chat)).toEqual({ line: { turns: ['HI', 'HELLO'] }, notes: ['upper-cased every turn'] });
  });
});
