import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { image } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { lintKindle } from './lint.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-lint-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function zip(name: string, files: [string, string | Buffer, boolean?][]): Promise<string> {
  const path = join(dir, name);
  const z = new yazl.ZipFile();
  for (const [file, data, compress = true] of files)
    z.addBuffer(Buffer.from(data), file, { compress, forceDosTimestamp: true });
  z.end();
  await new Promise<void>((resolve, reject) => {
    z.outputStream
      .pipe(createWriteStream(path))
      .on('close', () => resolve())
      .on('error', reject);
  });
  return path;
}

const page = (body: string, decl = true) =>
  `${decl ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>${body}</body></html>`;

describe('lintKindle', () => {
  it('reports each Kindle rejection cause', async () => {
    const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>t</dc:title></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>
<item id="b" href="b.xhtml" media-type="application/xhtml+xml"/><item id="w" href="w.webp" media-type="image/webp"/><item id="gone" href="gone.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="a"/><itemref idref="b"/></spine></package>`;
    const ncx = `<?xml version="1.0" encoding="UTF-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="n1" playOrder="1"><navLabel><text>b</text></navLabel><content src="b.xhtml"/></navPoint>
<navPoint id="n2" playOrder="2"><navLabel><text>a</text></navLabel><content src="a.xhtml"/></navPoint></navMap></ncx>`;
    const path = await zip('bad.epub', [
      [
        'META-INF/container.xml',
        '<?xml version="1.0" encoding="UTF-8"?><container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
      ],
      ['mimetype', 'application/epub+zip'],
      ['OEBPS/content.opf', opf],
      ['OEBPS/toc.ncx', ncx],
      ['OEBPS/a.xhtml', page('<img alt="x"/><a href="b.xhtml#nope">x</a><a href="c.xhtml">c</a><!-- a -- b -->')],
      ['OEBPS/b.xhtml', page('<p>unclosed <b>bold</p><img src="missing.png" alt=""/>', false)],
      ['OEBPS/w.webp', await image('webp', 16, 16), false],
    ]);
    const rules = new Set((await lintKindle(path)).map((f) => f.rule));
    expect([...rules].sort()).toEqual(
      [
        'comment-dashes',
        'encoding',
        'fragment',
        'img-src',
        'language',
        'manifest',
        'mimetype',
        'spine-ncx-order',
        'webp',
        'xml',
      ].sort(),
    );
  });

  it('asks for a CJK language when the text is Chinese', async () => {
    const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language>en</dc:language></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="a"/></spine></package>`;
    const path = await zip('zh.epub', [
      ['mimetype', 'application/epub+zip', false],
      [
        'META-INF/container.xml',
        '<?xml version="1.0" encoding="UTF-8"?><container><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>',
      ],
      ['content.opf', opf],
      [
        'toc.ncx',
        '<?xml version="1.0" encoding="UTF-8"?><ncx><navMap><navPoint><content src="a.xhtml"/></navPoint></navMap></ncx>',
      ],
      ['a.xhtml', page(`<p>${'北京时间今天上午国务院召开常务会议'.repeat(30)}</p>`)],
    ]);
    expect(await lintKindle(path)).toEqual([expect.objectContaining({ rule: 'language' })]);
  });

  it('throws a typed error for a file that is not a zip', async () => {
    const path = join(dir, 'not.epub');
    await writeFile(path, 'hello');
    await expect(lintKindle(path)).rejects.toMatchObject({ code: 'NOT_AN_EPUB' });
  });
});
