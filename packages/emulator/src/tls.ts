/**
 * A self-signed certificate for 127.0.0.1/localhost, made at start with the `openssl` CLI
 * (nothing is downloaded) and written to a file so clients can trust it via
 * NODE_EXTRA_CA_CERTS or an explicit `ca` option.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
  readonly dir: string;
}

export function generateSelfSigned(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'b24-emulator-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: 'pipe' },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why =
      (err as { code?: string }).code === 'ENOENT'
        ? 'the openssl command is not installed'
        : String((err as Error).message);
    throw new Error(`tls: could not generate a self-signed certificate: ${why}`);
  }
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), dir };
}
