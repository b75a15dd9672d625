import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyring, generateSigningJwk, portableJwk, type KeyringEntry, type SigningKeys, type SigningKeyStatus } from './signing-keys.ts';

/** The keyring file in a Node hub's data directory (mode 0600: it holds private keys). */
export const KEYRING_FILE = 'signing-keys.json';
/** The single key file of hubs from before key rotation; moved into the keyring on first start. */
export const LEGACY_KEY_FILE = 'signing-key.jwk';

interface KeyringFile {
  version: 1;
  keys: Array<{ jwk: JsonWebKey; status: SigningKeyStatus; createdAt: number | null }>;
}

const STATUSES: readonly SigningKeyStatus[] = ['active', 'next', 'retired'];

function parseKeyring(text: string, path: string): KeyringEntry[] {
  const data = JSON.parse(text) as Partial<KeyringFile>;
  const keys = data.keys;
  if (data.version !== 1 || !Array.isArray(keys) || keys.filter((k) => k?.status === 'active').length !== 1) {
    throw new Error(`${path} is not a signing keyring (version 1 with exactly one active key); fix or remove it`);
  }
  for (const k of keys) {
    if (!k.jwk?.x || !k.jwk.d || !STATUSES.includes(k.status)) throw new Error(`${path}: every key needs a private JWK (x and d) and a status of ${STATUSES.join(', ')}`);
  }
  return keys.map((k) => ({ jwk: portableJwk(k.jwk), status: k.status, createdAt: k.createdAt ?? null }));
}

/** Write the whole keyring to a temp file readable only by the user, then rename it over the old one. */
async function writeKeyring(path: string, entries: KeyringEntry[]): Promise<void> {
  const body: KeyringFile = { version: 1, keys: entries.map((e) => ({ jwk: portableJwk(e.jwk), status: e.status, createdAt: e.createdAt })) };
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * A Node hub's signing keys, in `signing-keys.json` in its data directory: made on first start
 * with one active key, or from the `signing-key.jwk` of an older hub (which is then removed, so
 * only one file holds the keys). Every create and activate rewrites the file atomically.
 * @example const keys = await openKeyringFile(dataDir, Date.now); await keys.create();
 */
export async function openKeyringFile(dataDir: string, clock: () => number): Promise<SigningKeys> {
  const path = join(dataDir, KEYRING_FILE);
  const save = (entries: KeyringEntry[]) => writeKeyring(path, entries);
  const text = await readIfExists(path);
  if (text !== undefined) return createKeyring(parseKeyring(text, path), { clock, save });

  const legacyPath = join(dataDir, LEGACY_KEY_FILE);
  const legacy = await readIfExists(legacyPath);
  const entry: KeyringEntry = legacy
    ? { jwk: portableJwk(JSON.parse(legacy) as JsonWebKey), status: 'active', createdAt: Math.round((await stat(legacyPath)).mtimeMs) }
    : { jwk: await generateSigningJwk(), status: 'active', createdAt: clock() };
  await save([entry]);
  if (legacy) await unlink(legacyPath);
  return createKeyring([entry], { clock, save });
}
