// The page of `weft serve`: the stored credentials and a form for each registered credential
// type. Everything type-specific comes from GET /api/types (the types' JSON Schemas), so a type
// added to weft's registry shows up here with no change to this code.

import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, takeToken } from './api.js';
import CredentialEditor from './CredentialEditor.jsx';
import CredentialList from './CredentialList.jsx';
import './style.css';

function App() {
  const [hasToken] = useState(() => Boolean(takeToken()));
  const [types, setTypes] = useState([]);
  const [credentials, setCredentials] = useState([]);
  const [editing, setEditing] = useState(null);
  const [busy, setBusy] = useState(null);
  const [notice, setNotice] = useState(null);

  const refresh = useCallback(
    () => api('GET', '/api/credentials').then((answer) => setCredentials(answer.credentials)),
    [],
  );

  useEffect(() => {
    if (!hasToken) return;
    const url = new URL(window.location.href);
    if (url.searchParams.has('connected')) {
      setNotice({ ok: true, message: 'Back from the sign-in page: the result of Connect is in the list.' });
      window.history.replaceState(null, '', url.pathname);
    }
    Promise.all([api('GET', '/api/types').then((answer) => setTypes(answer.types)), refresh()]).catch((error) =>
      setNotice({ ok: false, message: error.message, hint: error.hint }),
    );
  }, [hasToken, refresh]);

  if (!hasToken) {
    return (
      <main>
        <h1>weft credentials</h1>
        <p className="status failed">
          This page needs the address that <code>weft serve</code> printed: it carries this launch&apos;s token.
        </p>
      </main>
    );
  }

  const fail = (error) => setNotice({ ok: false, message: error.message, hint: error.hint });
  const startAdding = (typeName) => {
    const type = types.find((candidate) => candidate.name === typeName);
    setEditing(type ? { type, existing: null } : null);
  };
  const edit = (credential, status = null) =>
    api('GET', `/api/credentials/${encodeURIComponent(credential.id)}`)
      .then((existing) => setEditing({ type: types.find((t) => t.name === existing.type), existing, status }))
      .catch(fail);
  const test = (credential) => {
    setBusy(credential.id);
    api('POST', `/api/credentials/${encodeURIComponent(credential.id)}/test`)
      .then(refresh)
      .catch(fail)
      .finally(() => setBusy(null));
  };
  const connect = (credential) =>
    api('POST', `/api/credentials/${encodeURIComponent(credential.id)}/connect`)
      .then((answer) => window.location.assign(answer.authorizeUrl))
      .catch(fail);
  const remove = (credential) => {
    if (!window.confirm(`Remove “${credential.name}”? Workflows using it will fail.`)) return;
    api('DELETE', `/api/credentials/${encodeURIComponent(credential.id)}`)
      .then(() => {
        setEditing(null);
        return refresh();
      })
      .catch(fail);
  };
  const saved = (summary, status) => {
    refresh().catch(fail);
    edit(summary, status);
  };

  return (
    <main>
      <h1>weft credentials</h1>
      {notice && (
        <p id="notice" className={notice.ok ? 'status ok' : 'status failed'}>
          {notice.message}
          {notice.hint && <span className="hint"> hint: {notice.hint}</span>}
        </p>
      )}
      <section className="stored">
        <h2>Stored credentials</h2>
        <CredentialList
          credentials={credentials}
          types={types}
          busy={busy}
          onEdit={edit}
          onTest={test}
          onConnect={connect}
          onRemove={remove}
        />
      </section>
      <section className="add">
        <label htmlFor="type-select">Add a credential: </label>
        <select id="type-select" value="" onChange={(event) => startAdding(event.target.value)}>
          <option value="" disabled>
            choose a type…
          </option>
          {types.map((type) => (
            <option key={type.name} value={type.name}>
              {type.displayName}
            </option>
          ))}
        </select>
      </section>
      {editing && editing.type && (
        <CredentialEditor
          key={`${editing.type.name}/${editing.existing ? editing.existing.id + editing.existing.updatedAt : 'new'}`}
          type={editing.type}
          existing={editing.existing}
          initialStatus={editing.status}
          onSaved={saved}
        />
      )}
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
