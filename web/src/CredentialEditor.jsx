// The form of one credential, drawn by @rjsf/core from its type's JSON Schema (see formSchema.js).
// The server checks what is saved; its problems come back with a JSON path each and are shown at
// their field, with the hint.

import { useMemo, useState } from 'react';
import Form from '@rjsf/core';
import { api, ApiError } from './api.js';
import { formFields, toForm } from './formSchema.js';
import SecretWidget from './SecretWidget.jsx';
import FieldProblems, { problemText } from './FieldProblems.jsx';
import validator from './validator.js';

const widgets = { secret: SecretWidget };
const templates = { FieldErrorTemplate: FieldProblems };

/** Server problems → `{fieldErrors, nameProblems, otherProblems}` for the form. */
function placeProblems(problems, fields) {
  const fieldErrors = {};
  const nameProblems = [];
  const otherProblems = [];
  for (const problem of problems) {
    const field = problem.path.startsWith('data.') ? problem.path.slice(5).split('.')[0] : null;
    if (problem.path === 'name') {
      nameProblems.push(problem);
    } else if (field && fields.has(field)) {
      const entry = (fieldErrors[field] = fieldErrors[field] || { __errors: [] });
      entry.__errors.push(problemText(problem));
    } else {
      otherProblems.push(problem);
    }
  }
  return { fieldErrors, nameProblems, otherProblems };
}

export default function CredentialEditor({ type, existing, initialStatus, onSaved }) {
  const form = useMemo(
    () => toForm(type.schema, existing ? existing.storedSecrets : []),
    [type, existing],
  );
  const fields = useMemo(() => formFields(type.schema), [type]);
  const [name, setName] = useState(existing ? existing.name : '');
  const [formData, setFormData] = useState(existing ? existing.data : {});
  const [problems, setProblems] = useState({ fieldErrors: {}, nameProblems: [], otherProblems: [] });
  const [status, setStatus] = useState(initialStatus || null);

  const save = async ({ formData: data }) => {
    setStatus({ ok: true, message: 'Saving…' });
    try {
      const saved = existing
        ? await api('PUT', `/api/credentials/${encodeURIComponent(existing.id)}`, { name, data })
        : await api('POST', '/api/credentials', { type: type.name, name, data });
      setProblems({ fieldErrors: {}, nameProblems: [], otherProblems: [] });
      const done = { ok: true, message: `Saved “${saved.name}”.` };
      setStatus(done);
      onSaved(saved, done);
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) {
        setProblems(placeProblems(error.problems, fields));
      }
      setStatus({ ok: false, message: error.message, hint: error.hint });
    }
  };

  return (
    <section className="editor" data-type={type.name}>
      <h2>{existing ? `Edit “${existing.name}”` : `New ${type.displayName}`}</h2>
      <p className="about">
        {type.displayName} ·{' '}
        <a href={type.documentationUrl} target="_blank" rel="noreferrer">
          documentation
        </a>
      </p>
      {type.redirectUri && (
        <p className="redirect">
          Redirect URI to register in Salesforce: <code id="redirect-uri">{type.redirectUri}</code>
        </p>
      )}
      <div className="form-group field-name">
        <label className="control-label" htmlFor="credential-name">
          Name<span className="required">*</span>
        </label>
        <input
          id="credential-name"
          className="form-control"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <FieldProblems errors={problems.nameProblems.map(problemText)} />
      </div>
      <Form
        key={`${type.name}/${existing ? existing.id : 'new'}`}
        schema={form.schema}
        uiSchema={form.uiSchema}
        formData={formData}
        validator={validator}
        widgets={widgets}
        templates={templates}
        extraErrors={problems.fieldErrors}
        onChange={(event) => setFormData(event.formData)}
        onSubmit={save}
        noValidate
        noHtml5Validate
        omitExtraData
        showErrorList={false}
      >
        {problems.otherProblems.length > 0 && (
          <FieldProblems errors={problems.otherProblems.map((p) => problemText({ ...p, message: `${p.path || 'data'}: ${p.message}` }))} />
        )}
        <button type="submit" id="save" className="primary">
          Save
        </button>
        {status && (
          <p id="save-status" className={status.ok ? 'status ok' : 'status failed'}>
            {status.message}
            {status.hint && <span className="hint"> hint: {status.hint}</span>}
          </p>
        )}
      </Form>
    </section>
  );
}
