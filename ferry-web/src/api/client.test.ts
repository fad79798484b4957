import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, http, setRequestLanguage } from './client';

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

  it('carries the wait of a throttled login (429 Retry-After) in the error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('{"status":429,"message":"too many failed logins"}', {
            status: 429,
            headers: { 'Content-Type': 'application/json', 'Retry-After': '16' },
          }),
      ),
    );
    const error = (await http.post('/api/auth/login', { username: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(16);
    expect(error.message).toBe('too many failed logins');
  });
});
