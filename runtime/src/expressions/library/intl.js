// The part of `Intl.DateTimeFormat` Luxon needs to place a time in an IANA zone, over the host
// function `__weft_offset(zone, epochMs)` (the zone's UTC offset in minutes, or undefined for a
// zone that does not exist). QuickJS has no `Intl`; Luxon's other uses of it (locale names, relative
// times) fall back to its English built-ins, as `Settings.defaultLocale` is "en-US".
(() => {
  const offsetOf = globalThis.__weft_offset;
  delete globalThis.__weft_offset;
  const zone = globalThis.__weft_zone;
  delete globalThis.__weft_zone;
  const pad = (number) => String(number).padStart(2, "0");
  class DateTimeFormat {
    constructor(_locale, options = {}) {
      this.timeZone = options.timeZone ?? zone;
      if (offsetOf(String(this.timeZone), 0) == null) {
        throw new RangeError(`Invalid time zone specified: ${this.timeZone}`);
      }
    }
    resolvedOptions() {
      return { locale: "en-US", calendar: "gregory", numberingSystem: "latn", timeZone: this.timeZone };
    }
    formatToParts(date = Date.now()) {
      const epoch = +date;
      const local = new Date(epoch + offsetOf(this.timeZone, epoch) * 60000);
      const year = local.getUTCFullYear();
      const part = (type, value) => ({ type, value });
      const literal = (value) => part("literal", value);
      return [
        part("month", pad(local.getUTCMonth() + 1)), literal("/"),
        part("day", pad(local.getUTCDate())), literal("/"),
        part("year", String(year > 0 ? year : 1 - year)), literal(" "),
        part("era", year > 0 ? "AD" : "BC"), literal(", "),
        part("hour", pad(local.getUTCHours())), literal(":"),
        part("minute", pad(local.getUTCMinutes())), literal(":"),
        part("second", pad(local.getUTCSeconds())),
      ];
    }
    format(date) {
      return this.formatToParts(date).map((part) => part.value).join("");
    }
  }
  globalThis.Intl = { DateTimeFormat };
})();
