// n8n's expression library over Luxon and jmespath (evaluated before this file): `DateTime`,
// `Duration`, `Interval`, `$now`/`$today` in the workflow's zone, the extension functions as
// non-enumerable prototype methods (n8n rewrites `x.f()` into extension calls; in a runtime of
// our own per run, methods on the prototypes are the same and cannot leak to another run), and
// the helper globals `$if`, `$ifEmpty`, `$min`, `$max`, `$jmespath`. Hashes come from the host
// function `__weft_hash(algorithm, text)` ("=" + digest, or "!" + error message).
(() => {
  const hashOf = globalThis.__weft_hash;
  delete globalThis.__weft_hash;
  const { DateTime, Duration, Interval, Settings } = luxon;
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  Settings.defaultZone = zone;
  Settings.defaultLocale = "en-US";
  globalThis.DateTime = DateTime;
  globalThis.Duration = Duration;
  globalThis.Interval = Interval;
  const jmespath = globalThis.jmespath;
  delete globalThis.jmespath;

  class ExpressionExtensionError extends Error {
    constructor(message) {
      super(message);
      this.name = "ExpressionExtensionError";
    }
  }
  const fail = (message) => { throw new ExpressionExtensionError(message); };
  const isDateTime = (value) => DateTime.isDateTime(value);
  const extend = (prototype, methods) => {
    for (const [name, method] of Object.entries(methods)) {
      Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
    }
  };
  Object.defineProperty(globalThis, "$now", { get: () => DateTime.now() });
  Object.defineProperty(globalThis, "$today", { get: () => DateTime.now().startOf("day") });

  // Strings.
  const CURRENCY = /[$€£¥₹₩₽₺₴₪฿]/gu;
  const EMAIL = /(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@(?<domain>(\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))/;
  const HOST = "(?:www\\.)?((?:(?:[-\\w]+\\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}))(?::\\d+)?";
  const URL_TEXT = `(?:(?:https?|ftp):\\/\\/)${HOST}(?:\\/[^\\s?#]*)?(?:\\?[^\\s#]*)?(?=([^\\s]+#.*)?)#?[^\\s]*`;
  const URL_EXACT = new RegExp(`^${URL_TEXT}$`, "i");
  const URL_ANYWHERE = new RegExp(URL_TEXT, "i");
  const DOMAIN_EXTRACT = new RegExp(`^(?:(?:https?|ftp):\\/\\/)?(?:mailto:)?(?:\\/\\/)?${HOST.replace("(?:www\\.)?(", "((?:www\\.)?")}(?:\\/[^\\s?]*)?(?:\\?[^\\s#]*)?(?:#[^\\s]*)?$`, "i");
  const DOMAIN = new RegExp(`^${HOST}(?:\\/[^\\s?]*)?(?:\\?[^\\s#]*)?(?:#[^\\s]*)?$`, "i");
  const SMALL_WORDS = /\b(?:an?d?|a[st]|because|but|by|en|for|i[fn]|neither|nor|o[fnr]|only|over|per|so|some|tha[tn]|the|to|up|upon|vs?\.?|versus|via|when|with|without|yet)\b/i;
  const isEmail = (text) => EMAIL.test(text) && !text.includes(" ");
  const toTitleCase = (text) => {
    const tokens = /[^\s:–—-]+|./g;
    let result = "";
    let match;
    while ((match = tokens.exec(text)) !== null) {
      const [token] = match;
      const end = match.index + token.length;
      const capitalize = !/.(?=[A-Z]|\..)/.test(token)
        && (!SMALL_WORDS.test(token) || match.index === 0 || end === text.length)
        && (text.charAt(end) !== ":" || /\s/.test(text.charAt(end + 1)));
      result += capitalize ? token.replace(/[A-Za-z0-9\u00C0-\u00FF]/, (c) => c.toUpperCase()) : token;
    }
    return result;
  };
  const toSentenceCase = (text) => {
    let rest = text;
    let done = "";
    while (/\p{L}/u.test(rest)) {
      const at = rest.search(/\p{L}/u);
      rest = rest.slice(0, at) + rest[at].toLocaleUpperCase() + rest.slice(at + 1).toLocaleLowerCase();
      const stop = rest.search(/[!?.]/);
      if (stop === -1) return done + rest;
      done += rest.slice(0, stop + 1);
      rest = rest.slice(stop + 1);
    }
    return done + rest;
  };
  const toNumber = (text) => {
    const number = Number(text.replace(CURRENCY, ""));
    return Number.isNaN(number) ? fail("cannot convert to number") : number;
  };
  const parseDateTime = (value) => {
    if (isDateTime(value) && value.isValid) return value;
    if (value instanceof Date) return DateTime.fromJSDate(value);
    const text = String(value).trim();
    for (const parse of [DateTime.fromISO, DateTime.fromHTTP, DateTime.fromRFC2822, DateTime.fromSQL]) {
      const parsed = parse.call(DateTime, text, { setZone: true });
      if (parsed.isValid) return parsed;
    }
    const parsed = DateTime.fromMillis(Date.parse(text));
    return parsed.isValid ? parsed : fail("cannot convert to Luxon DateTime");
  };
  const hash = (text, algorithm = "md5") => {
    const answer = hashOf(String(algorithm).toLowerCase(), text);
    return answer[0] === "!" ? fail(answer.slice(1)) : answer.slice(1);
  };
  extend(String.prototype, {
    toTitleCase() { return toTitleCase(String(this)); },
    toSentenceCase() { return toSentenceCase(String(this)); },
    toSnakeCase() {
      return this.toLocaleLowerCase().replace(/[ \-]/g, "_")
        .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,.\/:;<=>?@\[\]^`{|}~]/g, "");
    },
    extractEmail() { return EMAIL.exec(this)?.[0]; },
    extractDomain() {
      const text = String(this);
      if (isEmail(text)) return EMAIL.exec(text)?.groups?.domain;
      return text.match(DOMAIN_EXTRACT)?.[1];
    },
    extractUrl() { return URL_ANYWHERE.exec(this)?.[0]; },
    isEmail() { return isEmail(String(this)); },
    isUrl() { return URL_EXACT.test(this); },
    isDomain() { return DOMAIN.test(this); },
    isEmpty() { return String(this) === ""; },
    isNotEmpty() { return String(this) !== ""; },
    isNumeric() { return !this.includes(" ") && !Number.isNaN(Number(this)) && !Number.isNaN(parseFloat(this)); },
    toNumber() { return toNumber(String(this)); },
    toWholeNumber(radix) { return this.toInt(radix); },
    toDecimalNumber() { return this.toFloat(); },
    toInt(radix) {
      const number = parseInt(this.replace(CURRENCY, ""), radix);
      return Number.isNaN(number) ? fail("cannot convert to integer") : number;
    },
    toFloat() {
      if (this.includes(",")) fail("cannot convert to float, expected . as decimal separator");
      const number = parseFloat(this.replace(CURRENCY, ""));
      return Number.isNaN(number) ? fail("cannot convert to float") : number;
    },
    toDateTime(format) {
      if (format === "ms" || format === "s" || format === "us" || format === "excel") return Number(this).toDateTime(format);
      if (format) return DateTime.fromFormat(String(this), format);
      return parseDateTime(String(this));
    },
    toBoolean() {
      const text = this.toLowerCase();
      return text.length > 0 && !["false", "no", "0"].includes(text);
    },
    hash(algorithm) { return hash(String(this), algorithm); },
    removeTags() { return this.replace(/<[^>]*>?/gm, ""); },
    // Latin letters lose their accents and a few ligatures are spelled out; other characters
    // outside ASCII become "?" (n8n transliterates more scripts).
    replaceSpecialChars() {
      const spelled = { ß: "ss", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ø: "o", Ø: "O", ł: "l", Ł: "L", đ: "d", Đ: "D", þ: "th", Þ: "Th" };
      return this.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .replace(/[^\x00-\x7f]/g, (c) => spelled[c] ?? "?");
    },
    extractUrlPath() {
      const url = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+([^?#\s]*)/i.exec(String(this));
      return url ? url[1] || "/" : undefined;
    },
    toDate() {
      const date = new Date(Date.parse(this));
      if (Number.isNaN(date.getTime())) fail("cannot convert to date");
      if (!this.includes(":")) date.setHours(0, 0, 0);
      return date;
    },
    urlEncode(entire = false) { return entire ? encodeURI(String(this)) : encodeURIComponent(String(this)); },
    urlDecode(entire = false) { return entire ? decodeURI(String(this)) : decodeURIComponent(String(this)); },
    base64Encode() { return hash(String(this), "base64"); },
    base64Decode() { return hash(String(this), "base64decode"); },
    quote(mark = '"') {
      return `${mark}${this.replace(/\\/g, "\\\\").split(mark).join(`\\${mark}`)}${mark}`;
    },
    parseJson() {
      try {
        return JSON.parse(this);
      } catch {
        return fail(this.includes("'") ? "Parsing failed. Check you're using double quotes" : "Parsing failed");
      }
    },
    toJsonString() { return JSON.stringify(String(this)); },
  });

  // Numbers.
  extend(Number.prototype, {
    round(decimals = 0) { return +(+this).toFixed(decimals); },
    floor() { return Math.floor(this); },
    ceil() { return Math.ceil(this); },
    abs() { return Math.abs(this); },
    toInt() { return this.round(); },
    toFloat() { return +this; },
    isEven() { return Number.isInteger(+this) ? this % 2 === 0 : fail("isEven() is only callable on integers"); },
    isOdd() { return Number.isInteger(+this) ? Math.abs(this % 2) === 1 : fail("isOdd() is only callable on integers"); },
    isInteger() { return Number.isInteger(+this); },
    toBoolean() { return +this !== 0; },
    // QuickJS has no Intl: numbers print as en-US does (grouped thousands, at most three
    // decimals unless the options say otherwise), whatever the locale asked for.
    format(_locale, options = {}) {
      const number = +this;
      if (!Number.isFinite(number)) return Number.isNaN(number) ? "NaN" : number > 0 ? "∞" : "-∞";
      const least = options.minimumFractionDigits ?? 0;
      const most = Math.min(options.maximumFractionDigits ?? Math.max(least, 3), 100);
      const [whole, fraction = ""] = Math.abs(number).toFixed(most).split(".");
      let decimals = fraction.replace(/0+$/, "");
      if (decimals.length < least) decimals = decimals.padEnd(least, "0");
      const grouped = options.useGrouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      const sign = number < 0 && /[1-9]/.test(whole + decimals) ? "-" : "";
      return `${sign}${grouped}${decimals ? `.${decimals}` : ""}`;
    },
    toDateTime(format) {
      const number = +this;
      if (format === "s") return DateTime.fromSeconds(number);
      if (format === "us") return DateTime.fromMillis(number / 1000);
      if (format === "excel") return DateTime.fromMillis((number - 25569) * 86400000, { zone: "UTC" }).setZone(zone, { keepLocalTime: true });
      return DateTime.fromMillis(number);
    },
  });
  const booleanNumber = function () { return this.valueOf() ? 1 : 0; };
  extend(Boolean.prototype, {
    toBoolean() { return this.valueOf(); },
    toNumber: booleanNumber,
    toInt: booleanNumber,
    toFloat: booleanNumber,
  });

  // Arrays.
  const isObject = (value) => value !== null && typeof value === "object";
  const equal = (a, b) => {
    if (Object.is(a, b)) return true;
    if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length
      && keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]));
  };
  const unique = (list, fields) => {
    const key = (value) => fields.length && isObject(value)
      ? Object.fromEntries(fields.map((field) => [field, value[field]])) : value;
    const kept = [];
    for (const value of list) {
      if (!kept.some((other) => equal(key(other), key(value)))) kept.push(value);
    }
    return kept;
  };
  const numbers = (list, name) => {
    if (list.some((value) => typeof value !== "number")) fail(`${name}(): all array elements must be numbers`);
    return list;
  };
  const arrayArgument = (value, name) => Array.isArray(value) ? value
    : fail(`${name}(): expected array arg, e.g. .${name}([${name.startsWith("merge") ? "{ id: 1, otherValue: 3 }" : "1, 2, 3, 4"}])`);
  const mergeObjects = (value, other) => {
    if (!other) return value;
    if (typeof other !== "object") fail("merge(): expected object arg");
    const merged = { ...value };
    for (const [key, field] of Object.entries(other)) if (!Object.hasOwn(merged, key)) merged[key] = field;
    return merged;
  };
  extend(Array.prototype, {
    first() { return this[0]; },
    last() { return this[this.length - 1]; },
    sum() { return numbers(this, "sum").reduce((total, value) => total + value, 0); },
    min() { return Math.min(...numbers(this, "min")); },
    max() { return Math.max(...numbers(this, "max")); },
    average() { return numbers(this, "average").length ? this.sum() / this.length : 0; },
    unique(...fields) { return unique(this, fields); },
    removeDuplicates(...fields) { return unique(this, fields); },
    compact() {
      return this.filter((value) => !(isObject(value) && Object.keys(value).length === 0)
        && value !== null && value !== undefined && value !== "nil" && value !== "")
        .map((value) => isObject(value) ? Object.prototype.compact.call(value) : value);
    },
    isEmpty() { return this.length === 0; },
    isNotEmpty() { return this.length > 0; },
    pluck(...fields) {
      if (fields.length === 0) return this;
      const plucked = [];
      for (const value of this) {
        if (!isObject(value)) continue;
        const found = [];
        for (const key of Object.keys(value)) for (const field of fields) if (field === key) found.push(value[key]);
        if (found.length > 0) plucked.push(found.length === 1 ? found[0] : found);
      }
      return plucked;
    },
    chunk(size) {
      if (typeof size !== "number" || size === 0) fail("chunk(): expected non-zero numeric arg, e.g. .chunk(5)");
      const chunks = [];
      for (let at = 0; at < this.length; at += size) chunks.push(this.slice(at, at + size));
      return chunks;
    },
    union(others) {
      const joined = Array.from(this);
      for (const value of arrayArgument(others, "union")) if (!joined.some((other) => equal(other, value))) joined.push(value);
      return unique(joined, []);
    },
    difference(others) {
      arrayArgument(others, "difference");
      return unique(this.filter((value) => !others.some((other) => equal(other, value))), []);
    },
    intersection(others) {
      arrayArgument(others, "intersection");
      const both = [...this.filter((value) => others.some((other) => equal(other, value))),
        ...others.filter((value) => this.some((other) => equal(other, value)))];
      return unique(both, []);
    },
    merge(others) {
      if (others === undefined) {
        return this.reduce((merged, value) => isObject(value) && !Array.isArray(value) ? mergeObjects(merged, value) : merged, {});
      }
      arrayArgument(others, "merge");
      const merged = {};
      for (let at = 0; at < Math.max(this.length, others.length); at++) {
        if (this[at] !== undefined && typeof this[at] === "object" && typeof others[at] === "object") {
          Object.assign(merged, mergeObjects(this[at], others[at]));
        }
      }
      return merged;
    },
    mergeIntoObject(others) {
      arrayArgument(others, "mergeIntoObject");
      const merged = {};
      for (let at = 0; at < Math.max(this.length, others.length); at++) {
        const source = isObject(this[at]) ? mergeObjects(this[at], isObject(others[at]) ? others[at] : undefined)
          : isObject(others[at]) ? others[at] : undefined;
        if (source) Object.assign(merged, source);
      }
      return merged;
    },
    append(...values) { return this.concat(values); },
    randomItem() { return this.length ? this[Math.floor(Math.random() * this.length)] : undefined; },
    renameKeys(...pairs) {
      if (pairs.length === 0 || pairs.length % 2 !== 0) {
        fail('renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys("name", "title")');
      }
      return this.map((value) => {
        if (!isObject(value)) return value;
        const renamed = { ...value };
        for (let at = 0; at < pairs.length; at += 2) {
          if (Object.hasOwn(renamed, pairs[at])) {
            renamed[pairs[at + 1]] = renamed[pairs[at]];
            delete renamed[pairs[at]];
          }
        }
        return renamed;
      });
    },
    smartJoin(keyField, valueField) {
      if (!keyField || !valueField || typeof keyField !== "string" || typeof valueField !== "string") {
        fail('smartJoin(): expected two string args, e.g. .smartJoin("name", "value")');
      }
      return Object.fromEntries(this.filter((value) => isObject(value) && keyField in value && valueField in value)
        .map((value) => [value[keyField], value[valueField]]));
    },
    toJsonString() { return JSON.stringify(this); },
    toInt() { return undefined; },
    toFloat() { return undefined; },
    toBoolean() { return undefined; },
    toDateTime() { return undefined; },
  });

  // Objects (strings, arrays and DateTimes keep their own methods of the same names).
  const formEncode = (text) => encodeURIComponent(text).replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const nonEmpty = (text, message) => typeof text === "string" && text !== "" ? text : fail(message);
  extend(Object.prototype, {
    isEmpty() { return Object.keys(this).length === 0; },
    isNotEmpty() { return Object.keys(this).length > 0; },
    keys() { return Object.keys(this); },
    values() { return Object.values(this); },
    hasField(field) { return field in this; },
    removeField(field) {
      if (!(field in this)) return this;
      const rest = { ...this };
      delete rest[field];
      return rest;
    },
    removeFieldsContaining(text) {
      const match = nonEmpty(text, "removeFieldsContaining(): expected non-empty string arg");
      return Object.fromEntries(Object.entries(this).filter(([, value]) => !(typeof value === "string" && value.includes(match))));
    },
    keepFieldsContaining(text) {
      const match = nonEmpty(text, "argument of keepFieldsContaining must be a non-empty string");
      return Object.fromEntries(Object.entries(this).filter(([, value]) => typeof value === "string" && value.includes(match)));
    },
    compact() {
      const kept = {};
      for (const [key, value] of Object.entries(this)) {
        if (value === null || value === undefined || value === "nil" || value === "") continue;
        if (typeof value === "object") {
          if (Object.keys(value).length > 0) kept[key] = Object.prototype.compact.call(value);
        } else {
          kept[key] = value;
        }
      }
      return kept;
    },
    merge(other) { return mergeObjects(this, other); },
    toJsonString() { return JSON.stringify(this); },
    urlEncode() { return Object.entries(this).map(([key, value]) => `${formEncode(key)}=${formEncode(String(value))}`).join("&"); },
    toInt() { return undefined; },
    toFloat() { return undefined; },
    toBoolean() { return undefined; },
    toDateTime() { return undefined; },
  });

  // DateTimes and Dates.
  const UNITS = { years: "year", months: "month", weeks: "week", days: "day", hours: "hour", minutes: "minute", seconds: "second", milliseconds: "millisecond" };
  const durationOf = (args) => args.length === 1 ? args[0] : { [Object.keys(UNITS).find((unit) => UNITS[unit] === args[1]) ?? args[1] ?? "minutes"]: args[0] ?? 0 };
  const difference = (from, to, unit) => {
    const units = Array.isArray(unit) ? (unit.length ? unit : ["days"]) : [unit];
    const duration = from.diff(to, units);
    return units.length > 1 ? duration.toObject() : duration.as(units[0]);
  };
  const dateMethods = (toLuxon, fromLuxon) => ({
    format(format, options = {}) { return toLuxon(this).toFormat(format, options); },
    beginningOf(unit = "week") { return fromLuxon(toLuxon(this).startOf(UNITS[unit] ?? unit)); },
    endOfMonth() { return fromLuxon(toLuxon(this).endOf("month")); },
    extract(part = "week") { return toLuxon(this).get(part === "week" ? "weekNumber" : UNITS[part] ?? part); },
    isBetween(...bounds) {
      if (bounds.length !== 2) fail("isBetween(): expected exactly two args");
      const [low, high] = bounds.map(parseDateTime).sort((a, b) => a - b);
      const date = toLuxon(this);
      return low < date && date < high;
    },
    isInLast(amount = 0, unit = "minutes") {
      const now = DateTime.now();
      const date = toLuxon(this);
      return now.minus(durationOf([amount, unit])) <= date && date <= now;
    },
    isWeekend() { return [6, 7].includes(toLuxon(this).weekday); },
    diffTo(other, unit = "days") { return difference(toLuxon(this), parseDateTime(other), unit); },
    diffToNow(unit = "days") { return difference(DateTime.now(), toLuxon(this), unit); },
    toDateTime() { return toLuxon(this); },
    isDst() { return toLuxon(this).isInDST; },
    toInt() { return toLuxon(this).toMillis(); },
    toFloat() { return toLuxon(this).toMillis(); },
    toBoolean() { return undefined; },
    isEmpty() { return false; },
    isNotEmpty() { return true; },
  });
  // n8n hands a DateTime in a parameter on as its `toString()` (the ISO text, "Invalid DateTime"
  // when invalid), which JSON then carries.
  extend(DateTime.prototype, { toJSON() { return this.toString(); } });
  const luxonPlus = DateTime.prototype.plus;
  const luxonMinus = DateTime.prototype.minus;
  extend(DateTime.prototype, {
    ...dateMethods((date) => date, (date) => date),
    plus(...args) { return luxonPlus.call(this, durationOf(args)); },
    minus(...args) { return luxonMinus.call(this, durationOf(args)); },
  });
  extend(Date.prototype, {
    ...dateMethods((date) => DateTime.fromJSDate(date), (date) => date.toJSDate()),
    plus(...args) { return DateTime.fromJSDate(this).plus(durationOf(args)).toJSDate(); },
    minus(...args) { return DateTime.fromJSDate(this).minus(durationOf(args)).toJSDate(); },
  });

  // Helper globals. n8n rewrites `$if(a, b, c)` into `a ? b : c`, so only the chosen branch runs;
  // here it is a function, whose arguments all run.
  globalThis.$if = (...args) => {
    if (args.length < 2) fail("$if requires at least 2 parameters: test, value_if_true[, and value_if_false]");
    return args[0] ? args[1] : (args.length > 2 ? args[2] : false);
  };
  globalThis.$ifEmpty = (...args) => {
    if (args.length !== 2) {
      const error = new Error("expected two arguments (value, defaultValue) for this function");
      error.name = "ExpressionError";
      throw error;
    }
    const [value, fallback] = args;
    const empty = value === undefined || value === null || value === ""
      || (typeof value === "object" && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0));
    return empty ? fallback : value;
  };
  const average = (...values) => values.average();
  const not = (value) => !value;
  const numberList = (start, end) => Array.from({ length: Math.abs(start - end) + 1 },
    (_, index) => start < end ? start + index : start - index);
  const zip = (keys, values) => {
    if (!Array.isArray(keys) || !Array.isArray(values)) fail("keys and values must be arrays");
    if (keys.length !== values.length) fail("keys and values not of equal length");
    return Object.fromEntries(keys.map((key, index) => [key, values[index]]));
  };
  Object.assign(globalThis, {
    min: Math.min, max: Math.max, not, average, numberList, zip,
    $min: Math.min, $max: Math.max, $average: average, $not: not,
  });
  globalThis.$jmespath = (data, query) => {
    if (typeof data !== "object" || data === null) fail("expected an object or array as the first argument");
    return jmespath.search(data, query);
  };
  globalThis.$jmesPath = globalThis.$jmespath;
})();
