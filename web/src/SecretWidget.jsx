// The widget of every `x-secret` field: a password input, so a secret is never shown; for a
// multi-line secret (a PEM private key) also a file chooser, whose file's text becomes the value.
// The input is uncontrolled: React would otherwise mirror the secret into the element's `value`
// attribute, and so into the page's source. When a value is stored, the input stays empty and
// says that leaving it empty keeps the stored one.

import { useRef } from 'react';

export default function SecretWidget({ id, required, disabled, readonly, onChange, onBlur, onFocus, options, placeholder }) {
  const input = useRef(null);
  const stored = Boolean(options.stored);
  const chooseFile = (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    file.text().then((text) => {
      input.current.value = text;
      onChange(text);
    });
  };
  return (
    <div className="secret">
      <input
        ref={input}
        id={id}
        name={id}
        type="password"
        className="form-control"
        autoComplete="off"
        defaultValue=""
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
