/** What a stop closes: servers (stop listening, let requests in flight finish) and then the hub. */
interface Closable {
  close(callback?: (error?: Error) => void): unknown;
}

/**
 * On SIGTERM or SIGINT (`docker stop`, Ctrl-C, a supervisor): close the servers, letting requests
 * in flight finish, then `closeHub` (the tick, the database), then exit 0, rather than cutting a
 * write short. Keep-alive connections could hold a server open: after `graceMs` it exits anyway.
 * @example closeOnSignals([server], () => hub.close());
 */
export function closeOnSignals(servers: readonly Closable[], closeHub: () => Promise<void>, graceMs = 10_000): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), graceMs).unref();
    void Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
      .then(closeHub)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Outpost: closing failed', error);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
