/** A screen to scale images for: its size in pixels and whether it shows colour. */
export interface DeviceProfile {
  name: string;
  width: number;
  height: number;
  color: boolean;
}

/** Screen sizes from KINDLE.md. Only Colorsoft shows colour; images for the others are made grayscale. */
export const DEVICES = {
  kindle: { name: 'Kindle', width: 1072, height: 1448, color: false },
  paperwhite: { name: 'Kindle Paperwhite', width: 1236, height: 1648, color: false },
  oasis: { name: 'Kindle Oasis', width: 1264, height: 1680, color: false },
  scribe: { name: 'Kindle Scribe', width: 1860, height: 2480, color: false },
  colorsoft: { name: 'Kindle Colorsoft', width: 1264, height: 1680, color: true },
  legacy: { name: 'Older Kindle', width: 600, height: 800, color: false },
} as const satisfies Record<string, DeviceProfile>;

export type DeviceName = keyof typeof DEVICES;

/** The profile for a name; throws nothing, callers validate names first. */
export function deviceProfile(name: DeviceName | undefined): DeviceProfile {
  return DEVICES[name ?? 'paperwhite'];
}
