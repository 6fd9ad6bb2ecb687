import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderCover, renderMasthead, wrapText } from './cover.js';
import { DEVICES } from './devices.js';
import { sniffImage } from './sniff.js';

describe('cover', () => {
  it('wraps Latin text at spaces and CJK text between characters, with an ellipsis when cut', () => {
    expect(wrapText('每日新闻 Daily News', 20, 2)).toEqual(['每日新闻 Daily News']);
    expect(wrapText('one two three four', 5, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('国务院召开常务会议研究部署', 5, 2)).toEqual(['国务院召开', '常务会议…']);
  });

  it('renders a JPEG the size of the device, grayscale except on Colorsoft, CJK title included', async () => {
    const input = { title: '每日新闻', date: '2026-11-29', headlines: ['国务院召开常务会议', 'River rules approved'] };
    const gray = await renderCover({ ...input, device: DEVICES.kindle });
    expect(sniffImage(gray)).toBe('jpeg');
    const meta = await sharp(gray).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([1072, 1448, 1]);
    const colour = await sharp(await renderCover({ ...input, device: DEVICES.colorsoft })).metadata();
    expect(colour.channels).toBe(3);
    // Text was drawn: the image is not a blank page.
    const { channels } = await sharp(gray).stats();
    expect(channels[0]!.min).toBeLessThan(50);
    const mast = await sharp(await renderMasthead('News')).metadata();
    expect([mast.width, mast.height, mast.format]).toEqual([600, 100, 'png']);
  });
});
