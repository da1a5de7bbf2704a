// The form library's validator, over @cfworker/json-schema: it interprets schemas (draft 2020-12)
// instead of compiling them to JavaScript as Ajv does, so it runs under the page's
// Content-Security-Policy, which allows no eval. The form uses it to evaluate `if` (conditional
// fields) and to pick `oneOf` options; the server's check of a saved credential is the one that
// counts. Schemas are self-contained (no `$ref`), as weft writes them.

import { Validator } from '@cfworker/json-schema';
import { ErrorSchemaBuilder } from '@rjsf/utils';

// Keywords that only summarise the errors of their subschemas, which are reported themselves.
const SUMMARIES = new Set(['properties', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', '$ref', 'items', 'prefixItems']);
const validators = new Map();

function validate(schema, data) {
  const key = JSON.stringify(schema);
  let validator = validators.get(key);
  if (!validator) {
    validator = new Validator(schema, '2020-12', false);
    validators.set(key, validator);
  }
  return validator.validate(data === undefined ? {} : data);
}

const validator = {
  isValid(schema, formData) {
    return validate(schema, formData).valid;
  },
  rawValidation(schema, formData) {
    const result = validate(schema, formData);
    return { errors: result.valid ? undefined : result.errors };
  },
  validateFormData(formData, schema) {
    const builder = new ErrorSchemaBuilder();
    const errors = [];
    for (const error of validate(schema, formData).errors) {
      if (SUMMARIES.has(error.keyword)) continue;
      const path = error.instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean);
      builder.addErrors(error.error, path.length > 0 ? path : undefined);
      const property = `.${path.join('.')}`;
      errors.push({ name: error.keyword, property, message: error.error, stack: `${property} ${error.error}` });
    }
    return { errors, errorSchema: builder.ErrorSchema };
  },
  reset() {
    validators.clear();
  },
};

export default validator;
