// Wall-clock arithmetic in a time zone, as Go's time package does it for robfig/cron's Next:
// the fields of an instant in a zone, and time.Date (wall clock -> instant, normalising
// out-of-range fields such as month 13 or day 32). UTC is computed directly; IANA names go
// through Intl.DateTimeFormat (Node 20 ships full ICU), which is deterministic for a given
// instant, so the virtual clock gives the same answers on every machine.

export interface WallFields {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

export interface Zone {
  readonly name: string;
  fields(ms: number): WallFields;
  /** time.Date(y, m, d, h, mi, s, 0, loc): fields may overflow and are normalised */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number;
}

export const UTC: Zone = {
  name: 'UTC',
  fields(ms) {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  },
  date(year, month, day, hour, minute, second) {
    return Date.UTC(year, month - 1, day, hour, minute, second);
  },
};

class IanaZone implements Zone {
  private readonly fmt: Intl.DateTimeFormat;
  constructor(readonly name: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    });
  }

  fields(ms: number): WallFields {
    // whole seconds: Intl drops milliseconds, and the wall time of a second is that of its start
    const out: any = {};
    for (const p of this.fmt.formatToParts(new Date(Math.floor(ms / 1000) * 1000))) out[p.type] = p.value;
    return {
      year: Number(out.year), month: Number(out.month), day: Number(out.day), hour: Number(out.hour) % 24, minute: Number(out.minute), second: Number(out.second),
      weekday: WEEKDAYS.indexOf(out.weekday),
    };
  }

  /** offset (ms) of the zone at an instant: wall clock read as UTC minus the instant */
  private offset(ms: number): number {
    const f = this.fields(ms);
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000;
  }

  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    // Go's time.Date: try the offset in force just before and just after the guess; a wall time
    // in a DST gap lands after the gap, a repeated wall time on its first occurrence
    const o1 = this.offset(wall - this.offset(wall));
    const t1 = wall - o1;
    if (this.offset(t1) === o1) {
      const o0 = this.offset(t1 - 3 * 3600_000);
      const t0 = wall - o0;
      return o0 !== o1 && t0 < t1 && this.offset(t0) === o0 ? t0 : t1;
    }
    return wall - this.offset(t1);
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const cache = new Map<string, Zone>();

/**
 * time.LoadLocation: "" and "UTC" are UTC; otherwise an IANA name. Undefined when the zone is
 * unknown. Go's lookup is case-sensitive (it opens a file), so a name ICU only accepts in another
 * case is unknown too.
 */
export function loadLocation(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return UTC; // the controller-manager's local zone: UTC in the simulator
  const hit = cache.get(name);
  if (hit) return hit;
  let zone: IanaZone;
  try {
    zone = new IanaZone(name);
  } catch {
    return undefined;
  }
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) return undefined;
  cache.set(name, zone);
  return zone;
}

/** RFC 3339 of an instant in a zone, as Go's Format(time.RFC3339): `Z` for UTC, else ±hh:mm. */
export function formatRFC3339(ms: number, zone: Zone): string {
  const f = zone.fields(ms);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const off = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(f.year, 4)}-${p(f.month)}-${p(f.day)}T${p(f.hour)}:${p(f.minute)}:${p(f.second)}`;
  // Go's Z07:00 writes Z for any zero offset
  if (off === 0) return `${base}Z`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${base}${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}
