// Turns a credential type's JSON Schema (draft 2020-12, as `weft schema <type>` prints it) into
// what the form library draws, by generic rules keyed on the schema's annotations; no rule names
// a type or a field:
//
// - `x-hidden` fields are not drawn (n8n hides them too; the server keeps their stored values);
// - `x-secret` fields use the secret widget (a password input; with `x-multiline`, plus a file
//   chooser), and say so when a value is stored;
// - other `x-multiline` fields are text areas of `x-rows` rows; `x-placeholder` is the placeholder;
// - a type list such as ["string", "number"] is drawn as its first non-null type, and a
//   `oneOf` of `const`s without a type as a select of the consts' type;
// - `$schema` and `$id` are dropped (the form needs neither); `if`/`then`/`else` stay, so
//   conditional fields appear when their condition holds.

/** `{schema, uiSchema}` for the form of `schema`; `storedSecrets` names secrets already stored. */
export function toForm(schema, storedSecrets = []) {
  const uiSchema = {};
  // The type's title and description are shown above the form already.
  const { title: _title, description: _description, ...form } = objectForm(schema, uiSchema, storedSecrets);
  return { schema: form, uiSchema };
}

/** The names of the fields a form of `schema` can show (`then`/`else` included). */
export function formFields(schema) {
  const names = new Set();
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const [name, field] of Object.entries(node.properties || {})) {
      if (!field['x-hidden']) names.add(name);
    }
    visit(node.then);
    visit(node.else);
  };
  visit(schema);
  return names;
}

function objectForm(schema, uiSchema, storedSecrets) {
  const { $schema: _draft, $id: _id, ...form } = schema;
  if (form.properties) {
    const shown = Object.entries(form.properties).filter(([, field]) => !field['x-hidden']);
    form.properties = Object.fromEntries(
      shown.map(([name, field]) => [name, fieldForm(name, field, uiSchema, storedSecrets)]),
    );
    if (form.required) form.required = form.required.filter((name) => name in form.properties);
  }
  for (const branch of ['then', 'else']) {
    if (form[branch]) form[branch] = objectForm(form[branch], uiSchema, storedSecrets);
  }
  return form;
}

function fieldForm(name, field, uiSchema, storedSecrets) {
  const form = { ...field };
  if (Array.isArray(form.type)) form.type = form.type.find((type) => type !== 'null') ?? form.type[0];
  // Choices written as `oneOf` of `const`s (with a title each) are drawn as a select of the
  // consts' type.
  if (!form.type && Array.isArray(form.oneOf) && form.oneOf.every((choice) => 'const' in choice)) {
    form.type = typeof form.oneOf[0].const;
  }
  const ui = {};
  if (form.type === 'object' && form.properties) {
    const nested = {};
    Object.assign(form, objectForm(form, nested, []));
    Object.assign(ui, nested);
  }
  if (form.type === 'string') ui['ui:emptyValue'] = '';
  if (field['x-secret']) {
    delete form.format;
    ui['ui:widget'] = 'secret';
    ui['ui:options'] = { multiline: Boolean(field['x-multiline']), stored: storedSecrets.includes(name) };
  } else if (field['x-multiline']) {
    ui['ui:widget'] = 'textarea';
    ui['ui:options'] = { rows: field['x-rows'] || 4 };
  }
  if (field['x-placeholder']) ui['ui:placeholder'] = field['x-placeholder'];
  uiSchema[name] = ui;
  return form;
}
