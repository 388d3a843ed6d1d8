/**
 * The one LISTEN connection of a process to the PostgreSQL directory: every write's transaction ends
 * with pg_notify('watchroom', {topic, id}), and PostgreSQL delivers it here at commit. A lost
 * connection is reopened with backoff (0.25 s → 5 s); notices sent meanwhile are lost for good, so
 * after reopening every topic is announced once, without an id, and each view reloads what it shows.
 */
import pg from 'pg';
import { backoffDelay } from '../../../shared/backoff.js';
import type { Logger } from '../logger.js';
import { DIRECTORY_TOPICS, type DirectoryChange, type DirectoryTopic } from './directory.js';

export const NOTIFY_CHANNEL = 'watchroom';

const isTopic = (value: unknown): value is DirectoryTopic => (DIRECTORY_TOPICS as readonly unknown[]).includes(value);

/** A notice's payload as a change; null for one this build does not know (a newer process's topic). */
export function parseNotice(payload: string | undefined): DirectoryChange | null {
  try {
    const notice = JSON.parse(payload ?? '') as { topic?: unknown; id?: unknown };
    if (!isTopic(notice.topic)) return null;
    return typeof notice.id === 'string' ? { topic: notice.topic, id: notice.id } : { topic: notice.topic };
  } catch {
    return null;
  }
}

export class ChangeListener {
  private client: pg.Client | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly announce: (change: DirectoryChange) => void,
    private readonly logger: Logger,
  ) {}

  /** The first connection; its failure is the caller's to report. */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      const change = parseNotice(message.payload);
      if (change) this.announce(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) return void (await client.end().catch(() => undefined));
    this.client = client;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.logger.log('warn', 'directory: lost the connection that hears changes; reconnecting', { error: error?.message });
    this.reconnectLater();
  }

  private reconnectLater(): void {
    this.failures++;
    this.timer = setTimeout(() => void this.reconnect(), backoffDelay(this.failures, 250, 5_000));
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.logger.log('warn', 'directory: cannot reconnect to hear changes yet', { error: (error as Error).message, failures: this.failures });
      return this.reconnectLater();
    }
    if (this.closed) return;
    this.logger.log('info', 'directory: hearing changes again', { after: this.failures });
    this.failures = 0;
    for (const topic of DIRECTORY_TOPICS) this.announce({ topic });
  }
}
