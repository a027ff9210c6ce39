import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppInfo } from '../shared/types';
import { callOrThrow } from './api';

function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callOrThrow('app.info', {}).then(setInfo, (e: Error) => setError(e.message));
  }, []);
  return (
    <main>
      <h1>BlockShelf</h1>
      {error && <p role="alert">{error}</p>}
      {info && (
        <p>
          {info.counts.lots} lots in {info.counts.locations} locations ({info.dbPath})
        </p>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
