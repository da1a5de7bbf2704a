// Problems shown at their field: each server problem arrives as "message\nhint: hint" and is
// drawn as the message with its hint below.

export default function FieldProblems({ errors = [], fieldPathId }) {
  const shown = errors.filter(Boolean);
  if (shown.length === 0) return null;
  return (
    <ul className="problems" id={fieldPathId ? `${fieldPathId.$id}__error` : undefined}>
      {shown.map((error, index) => {
        const [message, hint] = String(error).split('\nhint: ');
        return (
          <li key={index}>
            <span className="message">{message}</span>
            {hint && <span className="hint">hint: {hint}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** The text a problem `{message, hint}` is carried in. */
export function problemText({ message, hint }) {
  return hint ? `${message}\nhint: ${hint}` : message;
}
