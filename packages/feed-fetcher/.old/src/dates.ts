// Time zone names seen in real feeds. JavaScript's Date knows only the US ones and GMT/UT/Z.
const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  WET: '+0000',
  BST: '+0100',
  IST: '+0530',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AKST: '-0900',
  AKDT: '-0800',
  HST: '-1000',
  JST: '+0900',
  KST: '+0900',
  HKT: '+0800',
  AEST: '+1000',
  AEDT: '+1100',
  ACST: '+0930',
  AWST: '+0800',
  NZST: '+1200',
  NZDT: '+1300',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses the dates feeds really carry: RFC 822/1123 (with named or numeric zones, two-digit years,
 * missing weekday or seconds, "Sept", "June"), ISO 8601 / RFC 3339 (with or without zone — none
 * means UTC, with a space instead of T, basic format, date only) and W3C-DTF. Undefined if unreadable.
 */
export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  return valid(parseIso(text)) ?? valid(parseRfc822(text)) ?? valid(fallback(text));
}

function valid(date: Date | undefined): Date | undefined {
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 1900 && year <= 2200 ? date : undefined;
}

function parseIso(text: string): Date | undefined {
  const m =
    /^(\d{4})-?(\d{2})(?:-?(\d{2}))?(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text,
    );
  if (!m) return undefined;
  const [, y, mo, d = '01', h = '00', mi = '00', s = '00', frac = '0', zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return new Date(utc - offsetMinutes(zone) * 60_000);
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function parseRfc822(text: string): Date | undefined {
  const m =
    /^(?:[a-z]+,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([a-z]+|[+-]\d{2}:?\d{2})?/i.exec(
      text,
    ) ?? /^(?:[a-z]+,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2,4})\s*$/i.exec(text);
  if (!m) return undefined;
  const [, d, monthName, yearText, h = '0', mi = '0', s = '0', zoneText] = m;
  const month = MONTHS.indexOf(monthName!.slice(0, 3).toLowerCase());
  if (month < 0) return undefined;
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  let zone = zoneText?.toUpperCase();
  if (zone && ZONES[zone]) zone = ZONES[zone];
  const utc = Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(s));
  return new Date(utc - offsetMinutes(zone && /^[+-]/.test(zone) ? zone : undefined) * 60_000);
}

function fallback(text: string): Date | undefined {
  // Last resort for shapes like "Sat Sep 07 2002 00:00:01 GMT+0000" or "September 7, 2002".
  const replaced = text.replace(/\b([A-Z]{2,4})\b/g, (zone) => ZONES[zone] ?? zone);
  const date = new Date(/(?:[+-]\d{4}|Z)\s*$/.test(replaced) ? replaced : `${replaced} UTC`);
  return Number.isNaN(date.getTime()) ? new Date(replaced) : date;
}
