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

describe('tls via NODE_EXTRA_CA_CERTS', () => {
  test('a child process trusting the written certificate file can call the emulator', async () => {
    const { execFile } = await import('node:child_process');
    const emu = await startEmulator({ tls: true, plan: 'unlimited' });
    try {
      const script = `fetch(${JSON.stringify(emu.webhookUrl + 'server.time')}).then(r => r.json()).then(j => console.log(JSON.stringify(j.result)))`;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['-e', script],
          { env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.tls!.certPath } },
          (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout)),
        ),
      );
      expect(JSON.parse(out)).toMatch(/^\d{4}-\d\d-\d\dT/);
    } finally {
      await emu.close();
    }
  });
});
