/**
 * Connects an MCP client to MCP Orch by editing the client's own config file: a key is made for
 * the client, the change is shown as a diff (the secret masked), the file is written atomically
 * with a backup, and the last connect of each client can be undone — the file put back, the key
 * revoked. The undo journal is a private JSON file in MCP Orch's data folder. Used by the REST API
 * and by `mcp-orch client-config --write/--undo` alike.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import {
  ClientConfigError,
  clientFileEntries,
  type ClientConfigServer,
  type ClientConfigTarget,
  type ClientKind,
} from '../../../shared/client-config.js';
import { CLIENT_KINDS, CLIENT_LABELS } from '../../../shared/client-config.js';
import { clientConfigPath, serversKey, type MachinePaths } from './client-files.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import { JsonFileError, hashText, readJsonFile, setJsonValue } from './json-file.js';

/** Why a connect or undo was refused; `code` is one of the shared error codes. */
export class ClientConnectError extends Error {
  constructor(
    readonly code: 'invalid_config' | 'not_found' | 'conflict' | 'unknown_server' | 'bad_request',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ClientConnectError';
  }
}

/** A key made for a client: its secret goes into the file only. */
export interface ClientKey<Info> {
  id: string;
  name: string;
  secret: string;
  /** The key's public fields, for the answer. */
  info: Info;
}

export interface ClientConnectorDeps<Info> {
  paths: MachinePaths;
  /** MCP Orch's data folder: the undo journal lives there. */
  dataDir: string;
  baseUrl(): string;
  /** The servers a snippet may name (enabled ones). */
  servers(): ClientConfigServer[];
  /** Makes a key named after the client (the name may be taken: pick another). */
  createKey(client: ClientKind): ClientKey<Info>;
  /** Revokes a key; answers the ids revoked. */
  revokeKey(id: string): string[];
}

export interface ClientFileState {
  client: ClientKind;
  label: string;
  path: string;
  exists: boolean;
  servers: string[];
  connected: string[];
  undo?: { time: number; keyName: string; entries: string[] };
  error?: string;
}

export interface FileChange {
  client: ClientKind;
  path: string;
  exists: boolean;
  diff: string;
  entries: string[];
  replaced: string[];
}

interface JournalEntry {
  path: string;
  /** Absent: the file did not exist before the connect. */
  backupPath?: string;
  keyId: string;
  keyName: string;
  entries: string[];
  time: number;
  /** SHA-256 of the text written: an undo only restores a file nobody changed since. */
  writtenHash: string;
}

type Journal = Partial<Record<ClientKind, JournalEntry>>;

const BACKUP_SUFFIX = '.mcp-orch-backup';
/** What the diff shows in place of a secret. */
const MASKED_SECRET = 'mo_••••••••';

export class ClientConnector<Info> {
  private readonly journalPath: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ClientConnectorDeps<Info>) {
    this.journalPath = join(deps.dataDir, 'client-connections.json');
  }

  /** Every client: its file on this machine, the servers it lists, which point here, and the pending undo. */
  async list(): Promise<ClientFileState[]> {
    const journal = await this.readJournal();
    return Promise.all(
      CLIENT_KINDS.map(async (client) => {
        const path = clientConfigPath(client, this.deps.paths);
        const undo = journal[client];
        const state: ClientFileState = { client, label: CLIENT_LABELS[client], path, exists: false, servers: [], connected: [] };
        if (undo) state.undo = { time: undo.time, keyName: undo.keyName, entries: undo.entries };
        try {
          const { text, value } = await readJsonFile(path);
          state.exists = text !== undefined;
          const servers = objectAt(value, serversKey(client));
          state.servers = Object.keys(servers);
          state.connected = Object.entries(servers)
            .filter(([, entry]) => pointsAt(entry, this.deps.baseUrl()))
            .map(([name]) => name);
        } catch (error) {
          state.exists = true;
          state.error = (error as Error).message;
        }
        return state;
      }),
    );
  }

  /** The change a connect would make, with a placeholder where the secret goes. */
  async preview(client: ClientKind, target: ClientConfigTarget): Promise<FileChange> {
    const planned = await this.plan(client, target, MASKED_SECRET);
    return planned.change;
  }

  /** Makes a key, writes it into the client's file (backup kept) and records how to undo it. */
  connect(client: ClientKind, target: ClientConfigTarget): Promise<FileChange & { key: Info; backupPath?: string }> {
    return this.serial(async () => {
      // Plan first with a placeholder: a file that cannot be edited is refused before a key exists.
      await this.plan(client, target, MASKED_SECRET);
      const key = this.deps.createKey(client);
      try {
        const planned = await this.plan(client, target, key.secret);
        const backupPath = planned.before === undefined ? undefined : `${planned.path}${BACKUP_SUFFIX}`;
        await writeFileAtomic(planned.path, planned.after, backupPath);
        const journal = await this.readJournal();
        journal[client] = {
          path: planned.path,
          ...(backupPath ? { backupPath } : {}),
          keyId: key.id,
          keyName: key.name,
          entries: planned.change.entries,
          time: Date.now(),
          writtenHash: hashText(planned.after),
        };
        await this.writeJournal(journal);
        return {
          ...planned.change,
          diff: planned.change.diff.replaceAll(key.secret, MASKED_SECRET),
          key: key.info,
          ...(backupPath ? { backupPath } : {}),
        };
      } catch (error) {
        this.deps.revokeKey(key.id);
        throw error;
      }
    });
  }

  /** Puts the file back as it was before the last connect and revokes that connect's key. */
  undo(client: ClientKind): Promise<{ client: ClientKind; path: string; restored: 'backup' | 'removed'; revoked: string[] }> {
    return this.serial(async () => {
      const journal = await this.readJournal();
      const entry = journal[client];
      if (!entry)
        throw new ClientConnectError('not_found', `nothing to undo for ${CLIENT_LABELS[client]}: it was not connected from MCP Orch`);
      const current = await readFile(entry.path, 'utf8').catch(() => undefined);
      if (current === undefined || hashText(current) !== entry.writtenHash) {
        const where = entry.backupPath ? `; the file as it was before is in ${entry.backupPath}` : '';
        throw new ClientConnectError(
          'conflict',
          `${entry.path} changed since MCP Orch wrote it: not undone, to keep those changes${where}`,
          {
            path: entry.path,
            backupPath: entry.backupPath,
          },
        );
      }
      let restored: 'backup' | 'removed';
      if (entry.backupPath) {
        await writeFileAtomic(entry.path, await readFile(entry.backupPath, 'utf8'));
        await rm(entry.backupPath, { force: true });
        restored = 'backup';
      } else {
        await rm(entry.path, { force: true });
        restored = 'removed';
      }
      const revoked = this.revokeQuietly(entry.keyId);
      delete journal[client];
      await this.writeJournal(journal);
      return { client, path: entry.path, restored, revoked };
    });
  }

  private async plan(client: ClientKind, target: ClientConfigTarget, secret: string) {
    const path = clientConfigPath(client, this.deps.paths);
    let file;
    try {
      file = await readJsonFile(path);
    } catch (error) {
      if (error instanceof JsonFileError) throw new ClientConnectError('invalid_config', error.message);
      throw error;
    }
    let generated;
    try {
      generated = clientFileEntries({ client, baseUrl: this.deps.baseUrl(), servers: this.deps.servers(), target, token: secret });
    } catch (error) {
      if (error instanceof ClientConfigError)
        throw new ClientConnectError(error.code === 'unknown_server' ? 'unknown_server' : 'bad_request', error.message);
      throw error;
    }
    const names = Object.keys(generated.entries);
    if (names.length === 0) throw new ClientConnectError('not_found', 'no enabled servers to connect: add or enable one first');
    const existing = objectAt(file.value, generated.root);
    let after = file.text;
    for (const [name, entry] of Object.entries(generated.entries)) after = setJsonValue(after, [generated.root, name], entry);
    const masked = (text: string | undefined) => (text ?? '').replaceAll(secret, MASKED_SECRET);
    const diff = createTwoFilesPatch(path, path, masked(file.text), masked(after), file.text === undefined ? '(new file)' : '', '', {
      context: 3,
    });
    const change: FileChange = {
      client,
      path,
      exists: file.text !== undefined,
      diff,
      entries: names,
      replaced: names.filter((name) => name in existing),
    };
    return { path, before: file.text, after: after ?? '', change };
  }

  private revokeQuietly(id: string): string[] {
    try {
      return this.deps.revokeKey(id);
    } catch {
      return []; // Already gone (revoked by hand): nothing left to revoke.
    }
  }

  private async readJournal(): Promise<Journal> {
    try {
      const { value } = await readJsonFile(this.journalPath);
      return value;
    } catch {
      return {};
    }
  }

  private writeJournal(journal: Journal): Promise<void> {
    return writeFileAtomic(this.journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function objectAt(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const found = value[key];
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Record<string, unknown>) : {};
}

/** Whether a client's entry reaches this daemon: its URL, or mcp-remote's argument, starts with our base URL. */
export function pointsAt(entry: unknown, baseUrl: string): boolean {
  if (typeof entry !== 'object' || entry === null || !baseUrl) return false;
  const record = entry as Record<string, unknown>;
  const args: unknown[] = Array.isArray(record.args) ? (record.args as unknown[]) : [];
  const urls = [record.url, record.serverUrl, ...args];
  return urls.some((url) => typeof url === 'string' && (url === baseUrl || url.startsWith(`${baseUrl}/`)));
}
