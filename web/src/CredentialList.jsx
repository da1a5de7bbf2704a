// The stored credentials: name, type and the last test or connect result (never data), with the
// actions Edit, Test, Connect (credentials of the authorization-code grant, as the server says) and
// Remove.

function LastResult({ result }) {
  if (!result) return <span className="muted">not tested yet</span>;
  return (
    <span className={result.ok ? 'result ok' : 'result failed'}>
      <span className="message">
        {result.ok ? '✓ ' : '✗ '}
        {result.message}
      </span>
      {result.hint && <span className="hint">hint: {result.hint}</span>}
    </span>
  );
}

export default function CredentialList({ credentials, types, busy, onEdit, onTest, onConnect, onRemove }) {
  if (credentials.length === 0) return <p className="muted">No credentials stored yet.</p>;
  const typeOf = (name) => types.find((type) => type.name === name);
  return (
    <table className="credentials">
      <thead>
        <tr>
          <th>Name</th>
          <th>Type</th>
          <th>Last result</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {credentials.map((credential) => {
          const type = typeOf(credential.type);
          return (
            <tr key={credential.id} data-credential={credential.name}>
              <td className="name">{credential.name}</td>
              <td>{type ? type.displayName : credential.type}</td>
              <td className="last-result">
                {busy === credential.id ? <span className="muted">working…</span> : <LastResult result={credential.lastResult} />}
              </td>
              <td className="actions">
                <button type="button" className="edit" onClick={() => onEdit(credential)}>Edit</button>
                <button type="button" className="test" onClick={() => onTest(credential)}>Test</button>
                {credential.connect && (
                  <button type="button" className="connect" onClick={() => onConnect(credential)}>Connect</button>
                )}
                <button type="button" className="remove" onClick={() => onRemove(credential)}>Remove</button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
