import { afterEach, describe, expect, it, vi } from 'vitest';
import { http, setRequestLanguage } from './client';

describe('http', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setRequestLanguage('en');
  });

  it('asks the server for texts in the UI’s language', async () => {
    const fetch = vi.fn(async () => new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    await http.get('/api/connectors');
    setRequestLanguage('zh-CN');
    await http.get('/api/connectors');
    const languages = fetch.mock.calls.map(
      (call) => ((call as unknown as [string, RequestInit])[1].headers as Record<string, string>)['Accept-Language'],
    );
    expect(languages).toEqual(['en', 'zh-CN']);
  });
});
