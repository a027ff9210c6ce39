// Clean quit: before the app exits, a running backup is given a moment to finish (or is
// cancelled), automatic backups stop, and the database is closed exactly once.
import type { App } from 'electron';

export interface QuitSteps {
  /** Stops timers and lets running work end (finish or cancel); resolves when it is safe to close. */
  drain(): Promise<void>;
  /** Closes the database. */
  close(): void;
  log?: (msg: string, e?: unknown) => void;
}

export function installQuitGuard(app: Pick<App, 'on' | 'quit'>, steps: QuitSteps): void {
  let state: 'running' | 'draining' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'draining') return;
    state = 'draining';
    void steps
      .drain()
      .catch((e: unknown) => steps.log?.('error while finishing work before quitting', e))
      .finally(() => {
        try {
          steps.close();
        } catch (e) {
          steps.log?.('error while closing the database', e);
        }
        state = 'closed';
        app.quit();
      });
  });
}
