/** WCAG 2 contrast asked of normal text: a brand colour below it is hard to read on white paper and pages. */
export const READABLE_CONTRAST = 4.5;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export function isHexColour(text: string): boolean {
  return HEX_COLOUR.test(text);
}

/** The WCAG 2 contrast ratio of a #rrggbb colour against white, from 1 (white) to 21 (black). */
export function contrastOnWhite(hex: string): number {
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}
