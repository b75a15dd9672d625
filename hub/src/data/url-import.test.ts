import { describe, expect, it } from 'vitest';
import { checkUrl, isPrivateHost } from './url-import.ts';
import { errorOf } from '../test-support/errors.ts';

describe('isPrivateHost', () => {
  it('knows loopback, private, link-local, shared and unique-local addresses in every spelling URL gives them', () => {
    const host = (u: string) => new URL(u).hostname;
    for (const u of ['http://localhost/', 'http://LOCALHOST./', 'http://a.localhost/', 'http://127.0.0.1/', 'http://127.1/', 'http://0x7f000001/', 'http://2130706433/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://172.31.255.255/', 'http://192.168.1.1/', 'http://169.254.169.254/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://[fe80::1]/']) {
      expect(isPrivateHost(host(u)), u).toBe(true);
    }
    for (const u of ['https://example.com/', 'http://8.8.8.8/', 'http://172.32.0.1/', 'http://100.128.0.1/', 'http://[2001:db8::1]/', 'http://[::ffff:8.8.8.8]/']) {
      expect(isPrivateHost(host(u)), u).toBe(false);
    }
  });
});

describe('checkUrl', () => {
  it('refuses other schemes, credentials and private hosts unless allowed, naming url', () => {
    expect(errorOf(() => checkUrl('file:///etc/passwd', true)).issues).toEqual([{ path: 'url', message: 'only http and https URLs can be imported, not file:' }]);
    expect(errorOf(() => checkUrl('not a url', true)).message).toBe('"not a url" is not a URL');
    expect(errorOf(() => checkUrl('https://u:p@example.com/x.csv', true)).message).toBe('put no credentials in the URL');
    expect(errorOf(() => checkUrl('http://127.0.0.1:8080/x.csv', false)).message).toMatch(/^127\.0\.0\.1 is on this machine or a private network/);
    expect(checkUrl('http://127.0.0.1:8080/x.csv', true).href).toBe('http://127.0.0.1:8080/x.csv');
    expect(checkUrl('https://example.com/data/x.parquet', false).pathname).toBe('/data/x.parquet');
  });
});
