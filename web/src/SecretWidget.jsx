// The widget of every `x-secret` field: a password input, so a secret is never shown; for a
// multi-line secret (a PEM private key) also a file chooser, whose file's text becomes the value.
// When a value is stored, the input stays empty and says that leaving it empty keeps the stored one.

export default function SecretWidget({ id, value, required, disabled, readonly, onChange, onBlur, onFocus, options, placeholder }) {
  const stored = Boolean(options.stored);
  const chooseFile = (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    file.text().then((text) => onChange(text));
  };
  return (
    <div className="secret">
      <input
        id={id}
        name={id}
        type="password"
        className="form-control"
        autoComplete="off"
        value={value || ''}
        required={required && !stored}
        disabled={disabled}
        readOnly={readonly}
        placeholder={stored ? 'stored: leave empty to keep it, or type a new value' : placeholder}
        onChange={(event) => onChange(event.target.value)}
        onBlur={(event) => onBlur(id, event.target.value)}
        onFocus={(event) => onFocus(id, event.target.value)}
      />
      {options.multiline && (
        <label className="file">
          or choose a file
          <input id={`${id}__file`} type="file" disabled={disabled || readonly} onChange={chooseFile} />
        </label>
      )}
    </div>
  );
}
