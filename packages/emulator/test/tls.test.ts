import https from 'node:https';
import { describe, expect, test } from 'vitest';
import { startEmulator } from '../src/index.js';
import { existsSync, readFileSync } from 'node:fs';

function httpsGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, ca ? { ca } : {}, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('tls', () => {
  test('HTTPS with a self-signed certificate written to a file', async () => {
    const emu = await startEmulator({ tls: true, plan: 'unlimited' });
    const certPath = emu.tls!.certPath;
    try {
      expect(emu.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(emu.webhookUrl.startsWith('https://')).toBe(true);
      expect(readFileSync(certPath, 'utf8')).toContain('BEGIN CERTIFICATE');
      const ok = await httpsGet(`${emu.webhookUrl}server.time`, emu.tls!.cert);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).result).toMatch(/^\d{4}-/);
      // Without trusting the certificate the handshake fails.
      await expect(httpsGet(`${emu.webhookUrl}server.time`)).rejects.toThrow(/self[- ]signed|certificate/i);
      // Token responses point at https endpoints.
      expect(emu.issueTokens().client_endpoint).toBe(`${emu.baseUrl}/rest/`);
    } finally {
      await emu.close();
    }
    expect(existsSync(certPath)).toBe(false);
  });
});
